namespace Lethe.Portal.Web.Identity;

/// <summary>Paths of the account pages and endpoints.</summary>
public static class AccountPaths
{
    public const string SignIn = "/Account/Login";
    public const string SignOut = "/Account/Logout";
    public const string AccessDenied = "/Account/AccessDenied";
    public const string Lockout = "/Account/Lockout";
}
