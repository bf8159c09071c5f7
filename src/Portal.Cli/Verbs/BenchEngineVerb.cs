using System.CommandLine;
using Lethe.Engine.DemoWorld;
using Lethe.Engine.Modeling;
using Spectre.Console;

namespace Lethe.Cli.Verbs;

/// <summary>Hidden verb `bench-engine [--demo small|full]`: prints the engine's throughput figures (matmul, forward, training, generation).</summary>
public sealed class BenchEngineVerb : ICliVerb
{
    public Command Build()
    {
        var demo = new Option<string?>("--demo") { Description = "Measure at a demo model's configuration (small or full) instead of the default d=256 x 4 layers" };
        var command = new Command("bench-engine", "Measure engine throughput (BLAS, forward, training, generation)") { Hidden = true };
        command.Options.Add(demo);
        command.SetAction(parseResult =>
        {
            LlamaConfig? config = null;
            if (parseResult.GetValue(demo) is { } name)
            {
                var recipe = DemoModelPreset.Get(name).Recipe;
                config = EngineBenchmark.DefaultConfig with
                {
                    VocabSize = recipe.VocabSize, HiddenSize = recipe.HiddenSize, IntermediateSize = recipe.IntermediateSize,
                    NumHiddenLayers = recipe.Layers, NumAttentionHeads = recipe.AttentionHeads, NumKeyValueHeads = recipe.KeyValueHeads,
                    TieWordEmbeddings = false,
                };
            }
            var table = new Table().AddColumn("figure").AddColumn(new TableColumn("value").RightAligned()).AddColumn("unit");
            foreach (var figure in EngineBenchmark.Run(TimeProvider.System, config))
            {
                table.AddRow(figure.Name, figure.Value.ToString("N1"), figure.Unit);
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
