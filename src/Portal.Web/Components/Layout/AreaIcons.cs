using MudBlazor;

namespace Lethe.Portal.Web.Components.Layout;

/// <summary>Navigation icon per portal area key.</summary>
public static class AreaIcons
{
    public static string For(string areaKey) => areaKey switch
    {
        "requests" => Icons.Material.Filled.Inbox,
        "approvals" => Icons.Material.Filled.Gavel,
        "jobs" => Icons.Material.Filled.PrecisionManufacturing,
        "models" => Icons.Material.Filled.Psychology,
        "evidence" => Icons.Material.Filled.VerifiedUser,
        "dashboards" => Icons.Material.Filled.Insights,
        "admin" => Icons.Material.Filled.ManageAccounts,
        _ => Icons.Material.Filled.Circle,
    };
}
