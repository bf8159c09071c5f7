using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lethe.Portal.Data.Health;

/// <summary>Healthy when the SQLite database can be opened and queried.</summary>
public sealed class DatabaseHealthCheck(PortalDbContext database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var userCount = await database.Users.CountAsync(cancellationToken);
            return HealthCheckResult.Healthy($"Database reachable ({userCount} users).");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("Database unreachable: " + exception.Message, exception);
        }
    }
}
