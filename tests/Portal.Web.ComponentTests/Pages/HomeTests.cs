using Lethe.Portal.Domain.Security;
using Lethe.Portal.Domain.Work;
using Lethe.Portal.Web.ComponentTests.Support;
using Lethe.Portal.Web.Components.Pages;
using Lethe.Portal.Web.Composition;
using Lethe.Portal.Web.Work;
using Microsoft.Extensions.DependencyInjection;

namespace Lethe.Portal.Web.ComponentTests.Pages;

public class HomeTests : PortalComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);

    public HomeTests()
    {
        Context.Services.AddSingleton<TimeProvider>(new FixedTimeProvider(Now));
        Context.Services.AddScoped<ScopedOperations>();
        Context.Services.AddScoped<WorkInbox>();
    }

    [Fact]
    public void Shows_one_section_per_held_role_with_every_queue_empty_when_no_source_fills_it()
    {
        SignInWithRoles(PortalRoles.LegalApprover, PortalRoles.Manager);

        var page = Context.Render<Home>();

        page.WaitForAssertion(() => Assert.Contains("No request is waiting for approval.", page.Markup));
        Assert.Equal(
            ["home-LegalApprover", "home-Manager"],
            page.FindAll("section[data-testid^=home-]").Select(section => section.GetAttribute("data-testid")));
        Assert.Contains("Nothing is due within 7 days.", page.Markup);
        Assert.Equal(4, page.FindAll(".work-queue").Count);
    }

    [Fact]
    public void Lists_items_from_registered_sources_with_days_left()
    {
        Context.Services.AddSingleton<IWorkQueueSource>(new StubQueueSource(WorkQueueKeys.AwaitingApproval,
            new WorkItem("REQ-0007 erase Jane Roe", "submitted by Riley", "requests/7", Now.AddDays(3))));
        SignInWithRoles(PortalRoles.LegalApprover);

        var page = Context.Render<Home>();

        page.WaitForAssertion(() => Assert.Contains("REQ-0007 erase Jane Roe", page.Markup));
        Assert.Contains("submitted by Riley - 3 days left", page.Markup);
        Assert.DoesNotContain("No request is waiting for approval.", page.Markup);
        Assert.Contains("No evidence is waiting for sign-off.", page.Markup);
    }

    [Fact]
    public void A_user_without_roles_is_told_to_ask_an_admin()
    {
        SignInWithRoles();

        var page = Context.Render<Home>();

        Assert.Contains("Your account has no role yet", page.Markup);
        Assert.Empty(page.FindAll("section"));
    }

    private sealed class StubQueueSource(string key, params WorkItem[] items) : IWorkQueueSource
    {
        public IReadOnlyCollection<string> QueueKeys { get; } = [key];

        public Task<IReadOnlyList<WorkItem>> GetItemsAsync(string queueKey, WorkViewer viewer, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<WorkItem>>(items);
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
