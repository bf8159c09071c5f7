using System.CommandLine;
using Lethe.Engine.Modeling;
using Spectre.Console;

namespace Lethe.Cli.Verbs;

/// <summary>Hidden verb `bench-engine`: prints the engine's throughput figures (matmul, forward, training, generation).</summary>
public sealed class BenchEngineVerb : ICliVerb
{
    public Command Build()
    {
        var command = new Command("bench-engine", "Measure engine throughput (BLAS, forward, training, generation)") { Hidden = true };
        command.SetAction(_ =>
        {
            var table = new Table().AddColumn("figure").AddColumn(new TableColumn("value").RightAligned()).AddColumn("unit");
            foreach (var figure in EngineBenchmark.Run(TimeProvider.System))
            {
                table.AddRow(figure.Name, figure.Value.ToString("N1"), figure.Unit);
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
