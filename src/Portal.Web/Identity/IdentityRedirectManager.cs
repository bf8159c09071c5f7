using Microsoft.AspNetCore.Components;

namespace Lethe.Portal.Web.Identity;

/// <summary>Redirects from statically rendered account pages, refusing open redirects to other sites.</summary>
public sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public void RedirectTo(string? uri)
    {
        uri ??= "";
        if (!Uri.IsWellFormedUriString(uri, UriKind.Relative) || uri.StartsWith("//", StringComparison.Ordinal))
        {
            uri = navigationManager.ToBaseRelativePath(uri);
        }
        navigationManager.NavigateTo(uri);
    }
}
