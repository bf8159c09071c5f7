using Lethe.Portal.Domain.Security;

namespace Lethe.Portal.Domain.Tests.Security;

public class PortalAreasTests
{
    [Fact]
    public void Every_area_has_a_distinct_policy_key_and_path()
    {
        Assert.Equal(PortalAreas.All.Count, PortalAreas.All.Select(area => area.Policy).Distinct().Count());
        Assert.Equal(PortalAreas.All.Count, PortalAreas.All.Select(area => area.Key).Distinct().Count());
        Assert.Equal(PortalAreas.All.Count, PortalAreas.All.Select(area => area.Path).Distinct().Count());
    }

    [Fact]
    public void Every_policy_constant_guards_exactly_one_area()
    {
        var policies = typeof(PortalPolicies).GetFields().Select(field => (string)field.GetValue(null)!).ToList();
        Assert.Equal(policies.Order(), PortalAreas.All.Select(area => area.Policy).Order());
    }

    [Fact]
    public void Areas_only_admit_known_roles_and_every_role_has_somewhere_to_go()
    {
        Assert.All(PortalAreas.All, area => Assert.All(area.Roles, role => Assert.True(PortalRoles.IsKnown(role), role)));
        Assert.All(PortalRoles.All, role => Assert.NotEmpty(PortalAreas.VisibleTo([role])));
    }

    [Theory]
    [InlineData(PortalRoles.Requester, new[] { "requests" })]
    [InlineData(PortalRoles.LegalApprover, new[] { "approvals", "evidence" })]
    [InlineData(PortalRoles.Engineer, new[] { "jobs", "models", "evidence" })]
    [InlineData(PortalRoles.Auditor, new[] { "requests", "approvals", "jobs", "models", "evidence", "dashboards" })]
    [InlineData(PortalRoles.Manager, new[] { "models", "dashboards" })]
    [InlineData(PortalRoles.Admin, new[] { "models", "admin" })]
    public void VisibleTo_a_single_role_matches_the_design(string role, string[] expectedKeys) =>
        Assert.Equal(expectedKeys, PortalAreas.VisibleTo([role]).Select(area => area.Key));

    [Fact]
    public void VisibleTo_several_roles_is_the_union_in_navigation_order()
    {
        var keys = PortalAreas.VisibleTo([PortalRoles.Admin, PortalRoles.Requester]).Select(area => area.Key);
        Assert.Equal(["requests", "models", "admin"], keys);
    }

    [Fact]
    public void No_roles_see_no_areas() => Assert.Empty(PortalAreas.VisibleTo([]));

    [Fact]
    public void Models_are_open_to_engineers_auditors_managers_and_admins_but_not_requesters_or_legal() =>
        Assert.Equal(
            [PortalRoles.Engineer, PortalRoles.Auditor, PortalRoles.Manager, PortalRoles.Admin],
            PortalRoles.All.Where(role => PortalAreas.Models.IsOpenTo([role])));

    [Fact]
    public void Only_admins_may_manage_users() => Assert.Equal([PortalRoles.Admin], PortalAreas.Admin.Roles);

    [Fact]
    public void ForPolicy_finds_the_area_and_rejects_unknown_names()
    {
        Assert.Same(PortalAreas.Jobs, PortalAreas.ForPolicy(PortalPolicies.Jobs));
        var error = Assert.Throws<ArgumentException>(() => PortalAreas.ForPolicy("Area.Nope"));
        Assert.Contains("Area.Nope", error.Message);
    }
}
