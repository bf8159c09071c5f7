using Lethe.Portal.Domain.Security;
using Lethe.Portal.Web.ComponentTests.Support;
using Lethe.Portal.Web.Components.Pages.Admin;

namespace Lethe.Portal.Web.ComponentTests.Pages;

public class RoleChecklistTests : PortalComponentTest
{
    [Fact]
    public void Shows_every_role_checked_when_held_and_edits_the_set()
    {
        var selected = new HashSet<string> { PortalRoles.Engineer };
        var checklist = Context.Render<RoleChecklist>(parameters => parameters.Add(p => p.Selected, selected));

        Assert.Equal(PortalRoles.All.Count, checklist.FindAll("input[type=checkbox]").Count);
        Assert.Equal([PortalRoles.Engineer], CheckedRoles(checklist));

        checklist.Find("input[data-role=Auditor]").Change(true);
        checklist.Find("input[data-role=Engineer]").Change(false);

        Assert.Equal([PortalRoles.Auditor], selected);
        Assert.Equal([PortalRoles.Auditor], CheckedRoles(checklist));
    }

    // MudCheckBox marks its state on the wrapper around the input, not with a checked attribute.
    private static IEnumerable<string?> CheckedRoles(IRenderedComponent<RoleChecklist> checklist) =>
        checklist.FindAll(".mud-checkbox-true input").Select(input => input.GetAttribute("data-role"));
}
