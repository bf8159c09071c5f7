using System.Net;
using System.Text.RegularExpressions;
using Lethe.Portal.Data.Configuration;
using Lethe.Portal.Data.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Lethe.Portal.Web.IntegrationTests.Support;

/// <summary>A cookie-carrying HTTP client that signs in through the real sign-in form. Redirects are not followed.</summary>
public sealed partial class PortalSession(PortalWebFactory factory) : IDisposable
{
    public HttpClient Client { get; } = factory.CreateClient(
        new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public string DemoPassword => factory.Services.GetRequiredService<IOptions<DemoOptions>>().Value.Password;

    /// <summary>Posts the sign-in form (with its antiforgery token) and returns the raw response.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string email, string password)
    {
        var page = await Client.GetStringAsync("/Account/Login");
        var token = AntiforgeryToken().Match(page);
        Assert.True(token.Success, "The sign-in page has no antiforgery token.");
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["__RequestVerificationToken"] = token.Groups[1].Value,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        return await Client.PostAsync("/Account/Login", form);
    }

    /// <summary>Signs in and asserts the redirect that follows a successful sign-in.</summary>
    public async Task SignInSuccessfullyAsync(string email, string? password = null)
    {
        var response = await SignInAsync(email, password ?? DemoPassword);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"Sign-in of {email} failed: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Runs <paramref name="operation"/> against the app's user administration, in its own DI scope.</summary>
    public static async Task<TResult> AdministerAsync<TResult>(
        PortalWebFactory factory, Func<UserAdministration, Task<TResult>> operation)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await operation(scope.ServiceProvider.GetRequiredService<UserAdministration>());
    }

    /// <summary>Creates a fresh user (unique e-mail) with the given roles and returns (id, email).</summary>
    public static async Task<(string Id, string Email)> CreateUserAsync(PortalWebFactory factory, string password, params string[] roles)
    {
        var email = $"user-{Guid.NewGuid():N}@tests.local";
        var result = await AdministerAsync(factory, admin => admin.CreateUserAsync(new NewUser(email, "Test User", password, roles)));
        Assert.True(result.Succeeded, result.Error);
        return (result.UserId!, email);
    }

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
