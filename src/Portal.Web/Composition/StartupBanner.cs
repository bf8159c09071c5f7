using Lethe.Portal.Data.Configuration;
using Lethe.Portal.Data.Demo;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Lethe.Portal.Web.Composition;

/// <summary>Once the server listens, prints the portal's URL and (in demo mode) the demo sign-ins to the console.</summary>
internal sealed class StartupBanner(
    IHostApplicationLifetime lifetime, IServer server, IHostEnvironment environment, IOptions<DemoOptions> demo)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => Console.Out.Write(Compose()));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal string Compose()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var text = new System.Text.StringBuilder();
        text.AppendLine();
        text.AppendLine("Lethe portal is running.");
        foreach (var address in addresses)
        {
            text.AppendLine($"  Open {address}");
        }
        if (demo.Value.IsEnabledIn(environment))
        {
            text.AppendLine($"  Demo sign-ins (password for all: {demo.Value.Password}):");
            foreach (var account in DemoAccounts.All)
            {
                text.AppendLine($"    {account.Email,-24} {account.Role}");
            }
        }
        text.AppendLine();
        return text.ToString();
    }
}
