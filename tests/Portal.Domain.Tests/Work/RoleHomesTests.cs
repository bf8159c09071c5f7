using Lethe.Portal.Domain.Security;
using Lethe.Portal.Domain.Work;

namespace Lethe.Portal.Domain.Tests.Work;

public class RoleHomesTests
{
    [Fact]
    public void Every_role_has_exactly_one_home_section_with_queues()
    {
        Assert.Equal(PortalRoles.All, RoleHomes.All.Select(home => home.Role));
        Assert.All(RoleHomes.All, home => Assert.NotEmpty(home.Queues));
    }

    [Fact]
    public void Queue_keys_are_unique_and_all_declared_in_WorkQueueKeys()
    {
        var declared = typeof(WorkQueueKeys).GetFields().Select(field => (string)field.GetValue(null)!).ToHashSet();
        var used = RoleHomes.All.SelectMany(home => home.Queues).Select(queue => queue.Key).ToList();
        Assert.Equal(used.Count, used.Distinct().Count());
        Assert.True(declared.SetEquals(used));
    }

    [Fact]
    public void For_returns_the_sections_of_held_roles_in_role_order()
    {
        var homes = RoleHomes.For([PortalRoles.Admin, PortalRoles.LegalApprover]);
        Assert.Equal([PortalRoles.LegalApprover, PortalRoles.Admin], homes.Select(home => home.Role));
    }
}
