using Microsoft.AspNetCore.Identity;

namespace Lethe.Portal.Data.Identity;

/// <summary>A portal account. The user name is the e-mail address.</summary>
public sealed class PortalUser : IdentityUser
{
    /// <summary>Name shown in the app bar and in audit records ("Lena Legal").</summary>
    public string DisplayName { get; set; } = "";
}
