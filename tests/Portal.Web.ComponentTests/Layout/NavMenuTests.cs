using Lethe.Portal.Domain.Security;
using Lethe.Portal.Web.ComponentTests.Support;
using Lethe.Portal.Web.Components.Layout;

namespace Lethe.Portal.Web.ComponentTests.Layout;

public class NavMenuTests : PortalComponentTest
{
    public static TheoryData<string[], string[]> RoleSetsAndEntries => new()
    {
        { [PortalRoles.Requester], ["Home", "Requests"] },
        { [PortalRoles.LegalApprover], ["Home", "Approvals", "Evidence & audit"] },
        { [PortalRoles.Engineer], ["Home", "Jobs & models", "Models", "Evidence & audit"] },
        { [PortalRoles.Auditor], ["Home", "Requests", "Approvals", "Jobs & models", "Models", "Evidence & audit", "Dashboards"] },
        { [PortalRoles.Manager], ["Home", "Models", "Dashboards"] },
        { [PortalRoles.Admin], ["Home", "Models", "Users & roles"] },
        { [PortalRoles.Requester, PortalRoles.Admin], ["Home", "Requests", "Models", "Users & roles"] },
        { [PortalRoles.LegalApprover, PortalRoles.Engineer], ["Home", "Approvals", "Jobs & models", "Models", "Evidence & audit"] },
        { PortalRoles.All.ToArray(), ["Home", "Requests", "Approvals", "Jobs & models", "Models", "Evidence & audit", "Dashboards", "Users & roles"] },
        { [], ["Home"] },
    };

    [Theory]
    [MemberData(nameof(RoleSetsAndEntries))]
    public void Shows_exactly_the_entries_the_roles_may_open(string[] roles, string[] expectedEntries)
    {
        SignInWithRoles(roles);

        var menu = Context.Render<NavMenu>();

        var entries = menu.FindAll("a.mud-nav-link").Select(link => link.TextContent.Trim()).ToArray();
        Assert.Equal(expectedEntries, entries);
    }

    [Fact]
    public void Entries_link_to_the_area_paths_of_the_domain_map()
    {
        SignInWithRoles(PortalRoles.Auditor);

        var menu = Context.Render<NavMenu>();

        var areaLinks = menu.FindAll("a.mud-nav-link[data-area]").Select(link => link.GetAttribute("href")).ToArray();
        Assert.Equal(PortalAreas.VisibleTo([PortalRoles.Auditor]).Select(area => area.Path), areaLinks);
    }

    [Fact]
    public void An_anonymous_user_sees_only_home()
    {
        Authorization.SetNotAuthorized();

        var menu = Context.Render<NavMenu>();

        Assert.Equal(["Home"], menu.FindAll("a.mud-nav-link").Select(link => link.TextContent.Trim()));
    }
}
