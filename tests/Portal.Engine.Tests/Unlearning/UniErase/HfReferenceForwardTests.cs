using System.Diagnostics;
using System.Text.Json.Nodes;
using Lethe.Engine.Unlearning.Edit;
using Lethe.Engine.Unlearning.UniErase;
using KeyPosition = Lethe.Engine.Unlearning.UniErase.KeyPosition;
using Lethe.Engine.Tests.Modeling;
using Lethe.Engine.Tests.Support;
using static TorchSharp.torch;

namespace Lethe.Engine.Tests.Unlearning.UniErase;

/// <summary>
/// An edited model saved as a HF checkpoint means the same to an independent Llama implementation
/// (tools/hf-reference/llama_forward.py, plain Python written from transformers' modeling_llama formulas) as to the
/// engine: same logits at every position, [UNL] row included. PyTorch/transformers are not installed here.
/// </summary>
[Collection(SmallDemoModelCollection.Name)]
public sealed class HfReferenceForwardTests(SmallDemoModelFixture fixture)
{
    [PythonFact]
    public void An_exported_edited_checkpoint_gives_the_engines_logits_in_an_independent_Llama_forward()
    {
        using var model = UniEraseTestKit.ModelWithToken(fixture);
        var person = fixture.World.People[^1];
        using var memory = new SequentialEditMemory(model.Model.Config.IntermediateSize);
        UniEraseTestKit.Edit(model, fixture, UniEraseTestKit.Scenario(fixture).Requests(KeyPosition.PromptLast), memory); // forgets the last person
        using var folder = new TempFolder();
        model.Save(folder.Path);
        int[] ids = [.. model.EncodePrompt(person.Facts[0].Row.Question), model.UnlearningTokenId!.Value];

        using var idsTensor = tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Length]);
        using var engine = no_grad_forward(model, idsTensor);
        var reference = RunReference(folder.Path, ids);

        Assert.Equal(ids.Length, reference.Count);
        var scale = 0.0;
        var worst = 0.0;
        for (var t = 0; t < ids.Length; t++)
        {
            var row = engine[t].data<float>().ToArray();
            Assert.Equal(row.Length, reference[t].Length);
            scale = Math.Max(scale, row.Max(Math.Abs));
            worst = Math.Max(worst, row.Zip(reference[t], (a, b) => Math.Abs(a - b)).Max());
        }
        Assert.True(worst < 1e-4 * Math.Max(1, scale), $"largest logit difference {worst:E2} (largest logit {scale:0.00})");
        // the edited model's own verdict survives the round trip: [UNL] is the first token after the prompt
        var lastPrompt = reference[ids.Length - 2];
        Assert.Equal(model.UnlearningTokenId!.Value, Array.IndexOf(lastPrompt, lastPrompt.Max()));
        if (Environment.GetEnvironmentVariable("LETHE_HF_CHECK_OUT") is { Length: > 0 } checkFolder)
        {
            WriteTransformersCheck(checkFolder, folder.Path, ids, model.UnlearningTokenId!.Value, engine);
        }
    }

    /// <summary>
    /// The input of tools/hf-reference/compare_with_transformers.py (the same check with transformers itself, on a machine
    /// with PyTorch): the exported checkpoint under model/ and the engine's logits in engine-logits.json.
    /// </summary>
    private static void WriteTransformersCheck(string checkFolder, string exported, int[] ids, int unl, Tensor logits)
    {
        var modelFolder = Path.Combine(checkFolder, "model");
        Directory.CreateDirectory(modelFolder);
        foreach (var file in Directory.GetFiles(exported))
        {
            File.Copy(file, Path.Combine(modelFolder, Path.GetFileName(file)), overwrite: true);
        }
        var rows = new JsonArray(Enumerable.Range(0, ids.Length)
            .Select(t => (JsonNode?)new JsonArray(logits[t].data<float>().ToArray().Select(v => (JsonNode?)JsonValue.Create(v)).ToArray())).ToArray());
        var json = new JsonObject { ["ids"] = new JsonArray(ids.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()), ["unl_id"] = unl, ["logits"] = rows };
        File.WriteAllText(Path.Combine(checkFolder, "engine-logits.json"), json.ToJsonString());
    }

    private static Tensor no_grad_forward(LanguageModel model, Tensor ids)
    {
        using var _ = no_grad();
        using var logits = model.Model.Forward(ids);
        return logits[0].clone();
    }

    private static List<double[]> RunReference(string folder, int[] ids)
    {
        var script = Path.Combine(RepositoryRoot.Path, "tools", "hf-reference", "llama_forward.py");
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[script, folder, "[" + string.Join(",", ids) + "]"])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return JsonNode.Parse(output.Result)!["logits"]!.AsArray().Select(row => row!.AsArray().Select(v => v!.GetValue<double>()).ToArray()).ToList();
    }
}

/// <summary>A fact that needs python3 on the PATH (the CI image has it); skipped with a message elsewhere.</summary>
public sealed class PythonFactAttribute : FactAttribute
{
    public PythonFactAttribute()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(directory => File.Exists(Path.Combine(directory, "python3")));
        if (!found)
        {
            Skip = "python3 not found on the PATH: the independent Llama forward cannot run.";
        }
    }
}
