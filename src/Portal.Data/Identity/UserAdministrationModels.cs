namespace Lethe.Portal.Data.Identity;

/// <summary>A user as the admin page lists it.</summary>
public sealed record UserSummary(
    string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, bool IsLockedOut,
    DateTimeOffset? LockoutEnd, int FailedSignIns);

/// <summary>Input for creating a user.</summary>
public sealed record NewUser(string Email, string DisplayName, string Password, IReadOnlyCollection<string> Roles);

/// <summary>Outcome of an administrative change: success, or a message fit to show the admin.</summary>
public sealed record AdminResult(bool Succeeded, string? Error, string? UserId = null)
{
    public static AdminResult Success(string? userId = null) => new(true, null, userId);
    public static AdminResult Failure(string error) => new(false, error);
}
