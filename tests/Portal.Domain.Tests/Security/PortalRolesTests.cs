using Lethe.Portal.Domain.Security;

namespace Lethe.Portal.Domain.Tests.Security;

public class PortalRolesTests
{
    [Fact]
    public void All_lists_the_six_roles_of_the_design_once_each()
    {
        Assert.Equal(
            ["Requester", "LegalApprover", "Engineer", "Auditor", "Manager", "Admin"],
            PortalRoles.All);
    }

    [Theory]
    [InlineData(PortalRoles.LegalApprover, "Legal approver")]
    [InlineData(PortalRoles.Admin, "Admin")]
    public void DisplayName_reads_naturally(string role, string expected) =>
        Assert.Equal(expected, PortalRoles.DisplayName(role));

    [Fact]
    public void DisplayName_of_an_unknown_role_names_the_known_roles()
    {
        var error = Assert.Throws<ArgumentException>(() => PortalRoles.DisplayName("Superuser"));
        Assert.Contains("Unknown role 'Superuser'", error.Message);
        Assert.Contains("LegalApprover", error.Message);
    }

    [Fact]
    public void IsKnown_is_case_sensitive_like_role_checks()
    {
        Assert.True(PortalRoles.IsKnown("Engineer"));
        Assert.False(PortalRoles.IsKnown("engineer"));
    }
}
