using Microsoft.Extensions.Hosting;

namespace Lethe.Portal.Data.Configuration;

/// <summary>The embedded demo. Bound from <c>Portal:Demo</c>.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Portal:Demo";

    /// <summary>Seed demo users and show their sign-ins. Null (the default) means on, except in Production.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Password of every demo user; shown on the sign-in page.</summary>
    public string Password { get; set; } = "Lethe-Demo-2026!";

    /// <summary>Whether demo mode is on in <paramref name="environment"/>.</summary>
    public bool IsEnabledIn(IHostEnvironment environment) => Enabled ?? !environment.IsProduction();
}
