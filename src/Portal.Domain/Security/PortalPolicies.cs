namespace Lethe.Portal.Domain.Security;

/// <summary>
/// Authorization policy names, one per portal area. Pages carry <c>[Authorize(Policy = PortalPolicies.X)]</c>;
/// which roles satisfy a policy is defined once, in <see cref="PortalAreas"/>.
/// </summary>
public static class PortalPolicies
{
    public const string Requests = "Area.Requests";
    public const string Approvals = "Area.Approvals";
    public const string Jobs = "Area.Jobs";
    public const string Models = "Area.Models";
    public const string Evidence = "Area.Evidence";
    public const string Dashboards = "Area.Dashboards";
    public const string Admin = "Area.Admin";
}
