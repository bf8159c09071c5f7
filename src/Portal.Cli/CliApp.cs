using System.CommandLine;
using System.Reflection;

namespace Lethe.Cli;

/// <summary>Builds the `lethe` root command from every <see cref="ICliVerb"/> in this assembly and runs it.</summary>
public static class CliApp
{
    public static int Run(string[] args) => BuildRoot().Parse(args).Invoke();

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("lethe — train, evaluate, erase and benchmark language models for the Lethe portal");
        var verbs = typeof(CliApp).Assembly.GetTypes()
            .Where(t => typeof(ICliVerb).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (ICliVerb)Activator.CreateInstance(t)!)
            .Select(v => v.Build())
            .OrderBy(c => c.Name, StringComparer.Ordinal);
        foreach (var verb in verbs)
        {
            root.Subcommands.Add(verb);
        }
        return root;
    }
}

/// <summary>One top-level verb of the `lethe` command line; implementations are discovered by reflection.</summary>
public interface ICliVerb
{
    Command Build();
}
