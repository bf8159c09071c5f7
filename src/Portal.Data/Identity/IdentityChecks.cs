using Microsoft.AspNetCore.Identity;

namespace Lethe.Portal.Data.Identity;

/// <summary>Turns failed <see cref="IdentityResult"/>s into readable messages.</summary>
public static class IdentityChecks
{
    public static string Describe(IdentityResult result) =>
        string.Join(" ", result.Errors.Select(error => error.Description));

    public static void ThrowOnFailure(IdentityResult result, string action)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not {action}: {Describe(result)}");
        }
    }
}
