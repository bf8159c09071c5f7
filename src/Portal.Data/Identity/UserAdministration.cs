using Lethe.Portal.Domain.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Lethe.Portal.Data.Identity;

/// <summary>
/// User management for admins. Role changes reach the user at the next request (the sign-in cookie is rebuilt from
/// the database on every request); locking also renews the security stamp, which ends the user's open sessions.
/// </summary>
public sealed class UserAdministration(UserManager<PortalUser> userManager, PortalDbContext database, TimeProvider clock)
{
    public async Task<IReadOnlyList<UserSummary>> ListUsersAsync(CancellationToken cancellationToken = default)
    {
        var users = await database.Users.AsNoTracking().OrderBy(user => user.Email).ToListAsync(cancellationToken);
        var roleRows = await (
            from userRole in database.UserRoles
            join role in database.Roles on userRole.RoleId equals role.Id
            select new { userRole.UserId, role.Name }).ToListAsync(cancellationToken);
        var rolesByUser = roleRows.ToLookup(row => row.UserId, row => row.Name!);
        var now = clock.GetUtcNow();
        return users.Select(user => new UserSummary(
                user.Id, user.Email ?? user.UserName ?? user.Id, user.DisplayName,
                OrderRoles(rolesByUser[user.Id]), user.LockoutEnd > now, user.LockoutEnd, user.AccessFailedCount))
            .ToList();
    }

    public async Task<AdminResult> CreateUserAsync(NewUser request)
    {
        var email = request.Email.Trim();
        if (string.IsNullOrEmpty(email))
        {
            return AdminResult.Failure("E-mail is required.");
        }
        if (UnknownRoles(request.Roles) is { } unknown)
        {
            return unknown;
        }
        var user = new PortalUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? email : request.DisplayName.Trim(),
        };
        var created = await userManager.CreateAsync(user, request.Password);
        if (!created.Succeeded)
        {
            return AdminResult.Failure(IdentityChecks.Describe(created));
        }
        if (request.Roles.Count > 0)
        {
            var assigned = await userManager.AddToRolesAsync(user, request.Roles.Distinct());
            if (!assigned.Succeeded)
            {
                return AdminResult.Failure(IdentityChecks.Describe(assigned));
            }
        }
        return AdminResult.Success(user.Id);
    }

    /// <summary>Makes <paramref name="roles"/> the user's exact role set. Admins cannot remove their own Admin role.</summary>
    public async Task<AdminResult> SetRolesAsync(string userId, IReadOnlyCollection<string> roles, string actingUserId)
    {
        if (UnknownRoles(roles) is { } unknown)
        {
            return unknown;
        }
        var user = await userManager.FindByIdAsync(userId);
        if (user is null)
        {
            return AdminResult.Failure($"No user with id '{userId}'.");
        }
        var current = await userManager.GetRolesAsync(user);
        if (userId == actingUserId && current.Contains(PortalRoles.Admin) && !roles.Contains(PortalRoles.Admin))
        {
            return AdminResult.Failure("You cannot remove your own Admin role; ask another admin.");
        }
        var removed = await userManager.RemoveFromRolesAsync(user, current.Except(roles));
        if (!removed.Succeeded)
        {
            return AdminResult.Failure(IdentityChecks.Describe(removed));
        }
        var added = await userManager.AddToRolesAsync(user, roles.Except(current).Distinct());
        return added.Succeeded ? AdminResult.Success(userId) : AdminResult.Failure(IdentityChecks.Describe(added));
    }

    /// <summary>Locks the account until an admin unlocks it and ends its open sessions.</summary>
    public async Task<AdminResult> LockAsync(string userId, string actingUserId)
    {
        if (userId == actingUserId)
        {
            return AdminResult.Failure("You cannot lock your own account.");
        }
        var user = await userManager.FindByIdAsync(userId);
        if (user is null)
        {
            return AdminResult.Failure($"No user with id '{userId}'.");
        }
        await userManager.SetLockoutEnabledAsync(user, true);
        var locked = await userManager.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
        if (!locked.Succeeded)
        {
            return AdminResult.Failure(IdentityChecks.Describe(locked));
        }
        var stamped = await userManager.UpdateSecurityStampAsync(user);
        return stamped.Succeeded ? AdminResult.Success(userId) : AdminResult.Failure(IdentityChecks.Describe(stamped));
    }

    /// <summary>Lifts a manual or automatic lockout and resets the failed sign-in counter.</summary>
    public async Task<AdminResult> UnlockAsync(string userId)
    {
        var user = await userManager.FindByIdAsync(userId);
        if (user is null)
        {
            return AdminResult.Failure($"No user with id '{userId}'.");
        }
        var unlocked = await userManager.SetLockoutEndDateAsync(user, null);
        if (!unlocked.Succeeded)
        {
            return AdminResult.Failure(IdentityChecks.Describe(unlocked));
        }
        var reset = await userManager.ResetAccessFailedCountAsync(user);
        return reset.Succeeded ? AdminResult.Success(userId) : AdminResult.Failure(IdentityChecks.Describe(reset));
    }

    private static AdminResult? UnknownRoles(IEnumerable<string> roles)
    {
        var unknown = roles.Where(role => !PortalRoles.IsKnown(role)).ToList();
        return unknown.Count == 0
            ? null
            : AdminResult.Failure($"Unknown role(s): {string.Join(", ", unknown)}. Known roles: {string.Join(", ", PortalRoles.All)}.");
    }

    private static IReadOnlyList<string> OrderRoles(IEnumerable<string> roles) =>
        roles.OrderBy(role => PortalRoles.All.ToList().IndexOf(role)).ToList();
}
