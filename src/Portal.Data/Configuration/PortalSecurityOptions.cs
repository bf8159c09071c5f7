namespace Lethe.Portal.Data.Configuration;

/// <summary>Sign-in hardening. Bound from <c>Portal:Security</c>.</summary>
public sealed class PortalSecurityOptions
{
    public const string SectionName = "Portal:Security";

    /// <summary>Failed sign-ins in a row after which the account is locked. Default 5.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long an automatic lockout lasts, in minutes. Default 15.</summary>
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>
    /// How often an open interactive session re-reads the user's roles, lock state and security stamp, in seconds.
    /// Ordinary HTTP requests re-check on every request. Default 10.
    /// </summary>
    public int SessionRevalidationSeconds { get; set; } = 10;
}
