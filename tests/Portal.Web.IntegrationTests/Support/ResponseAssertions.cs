using System.Net;

namespace Lethe.Portal.Web.IntegrationTests.Support;

public static class ResponseAssertions
{
    /// <summary>Asserts a 302 whose target path starts with <paramref name="pathPrefix"/>.</summary>
    public static void AssertRedirectsTo(HttpResponseMessage response, string pathPrefix)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        var path = location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
        Assert.StartsWith(pathPrefix, path, StringComparison.OrdinalIgnoreCase);
    }
}
