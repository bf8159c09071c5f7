using System.Net;
using Lethe.Portal.Data.Identity;
using Lethe.Portal.Domain.Security;
using Lethe.Portal.Web.IntegrationTests.Support;

namespace Lethe.Portal.Web.IntegrationTests.Security;

[Collection(PortalCollection.Name)]
public class AccountAdministrationTests(PortalWebFactory factory)
{
    private const string Password = "Test-Passw0rd!";

    [Fact]
    public async Task Repeated_failed_sign_ins_lock_the_account_so_even_the_right_password_is_refused()
    {
        var (_, email) = await PortalSession.CreateUserAsync(factory, Password, PortalRoles.Requester);
        using var session = new PortalSession(factory);
        for (var attempt = 0; attempt < PortalWebFactory.MaxFailedSignIns; attempt++)
        {
            await session.SignInAsync(email, "wrong-password");
        }

        var response = await session.SignInAsync(email, Password);

        ResponseAssertions.AssertRedirectsTo(response, "/Account/Lockout");
        ResponseAssertions.AssertRedirectsTo(await session.Client.GetAsync("/requests"), "/Account/Login");
    }

    [Fact]
    public async Task An_admin_lock_ends_the_open_session_at_the_next_request_and_unlock_restores_access()
    {
        var (id, email) = await PortalSession.CreateUserAsync(factory, Password, PortalRoles.Engineer);
        using var session = new PortalSession(factory);
        await session.SignInSuccessfullyAsync(email, Password);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/jobs")).StatusCode);

        Assert.True((await PortalSession.AdministerAsync(factory, admin => admin.LockAsync(id, "some-admin"))).Succeeded);

        ResponseAssertions.AssertRedirectsTo(await session.Client.GetAsync("/jobs"), "/Account/Login");
        ResponseAssertions.AssertRedirectsTo(await session.SignInAsync(email, Password), "/Account/Lockout");

        Assert.True((await PortalSession.AdministerAsync(factory, admin => admin.UnlockAsync(id))).Succeeded);
        await session.SignInSuccessfullyAsync(email, Password);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/jobs")).StatusCode);
    }

    [Fact]
    public async Task Role_changes_apply_at_the_users_next_request_without_signing_in_again()
    {
        var (id, email) = await PortalSession.CreateUserAsync(factory, Password, PortalRoles.Requester);
        using var session = new PortalSession(factory);
        await session.SignInSuccessfullyAsync(email, Password);
        ResponseAssertions.AssertRedirectsTo(await session.Client.GetAsync("/jobs"), "/Account/AccessDenied");

        var changed = await PortalSession.AdministerAsync(factory, admin => admin.SetRolesAsync(id, [PortalRoles.Engineer], "some-admin"));
        Assert.True(changed.Succeeded, changed.Error);

        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/jobs")).StatusCode);
        ResponseAssertions.AssertRedirectsTo(await session.Client.GetAsync("/requests"), "/Account/AccessDenied");
    }

    [Fact]
    public async Task Created_users_can_sign_in_and_appear_in_the_list_with_their_roles()
    {
        var (id, email) = await PortalSession.CreateUserAsync(factory, Password, PortalRoles.Auditor, PortalRoles.Manager);
        var users = await PortalSession.AdministerAsync(factory, admin => admin.ListUsersAsync());
        var listed = users.Single(user => user.Id == id);
        Assert.Equal(email, listed.Email);
        Assert.Equal([PortalRoles.Auditor, PortalRoles.Manager], listed.Roles);
        Assert.False(listed.IsLockedOut);

        using var session = new PortalSession(factory);
        await session.SignInSuccessfullyAsync(email, Password);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/dashboards")).StatusCode);
    }

    [Fact]
    public async Task Admins_cannot_lock_themselves_or_drop_their_own_admin_role()
    {
        var (id, _) = await PortalSession.CreateUserAsync(factory, Password, PortalRoles.Admin);

        var locked = await PortalSession.AdministerAsync(factory, admin => admin.LockAsync(id, id));
        var demoted = await PortalSession.AdministerAsync(factory, admin => admin.SetRolesAsync(id, [PortalRoles.Auditor], id));

        Assert.Equal("You cannot lock your own account.", locked.Error);
        Assert.Contains("cannot remove your own Admin role", demoted.Error);
    }

    [Theory]
    [InlineData("Superuser")]
    [InlineData("admin")]
    public async Task Unknown_roles_are_refused_with_the_list_of_known_roles(string role)
    {
        var result = await PortalSession.AdministerAsync(factory, admin =>
            admin.CreateUserAsync(new NewUser($"x-{Guid.NewGuid():N}@tests.local", "X", Password, [role])));
        Assert.False(result.Succeeded);
        Assert.Contains($"Unknown role(s): {role}", result.Error);
        Assert.Contains("LegalApprover", result.Error);
    }

    [Fact]
    public async Task Weak_passwords_and_duplicate_emails_are_refused_with_identity_messages()
    {
        var (_, email) = await PortalSession.CreateUserAsync(factory, Password);
        var duplicate = await PortalSession.AdministerAsync(factory, admin =>
            admin.CreateUserAsync(new NewUser(email, "Dup", Password, [])));
        var weak = await PortalSession.AdministerAsync(factory, admin =>
            admin.CreateUserAsync(new NewUser($"w-{Guid.NewGuid():N}@tests.local", "W", "short", [])));

        Assert.Contains("is already taken", duplicate.Error);
        Assert.Contains("at least 8 characters", weak.Error);
    }
}
