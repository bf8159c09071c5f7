using Lethe.Engine.Unlearning.NullSpace;
using Lethe.Engine.Unlearning.UniErase;
using Lethe.Engine.Tests.Support;
using static TorchSharp.torch;

namespace Lethe.Engine.Tests.Unlearning.UniErase;

/// <summary>The lineage's preservation sums: adjusted by a corpus difference they equal the sums taken from scratch.</summary>
[Collection(SmallDemoModelCollection.Name)]
public sealed class PreservationStatisticsTests(SmallDemoModelFixture fixture)
{
    private static readonly int[] Layers = [2, 3];

    [Fact]
    public void Sums_adjusted_for_removed_and_added_pairs_equal_the_sums_of_the_new_corpus_and_survive_save_and_load()
    {
        using var model = UniEraseTestKit.ModelWithToken(fixture);
        var corpus = UniEraseTestKit.Scenario(fixture).PreservationCorpus();
        Assert.True(corpus.Retained.Count > PreservationKeys.UnlContinuations + 10, "the removed pairs must lie after the [UNL] continuations' questions");
        using var statistics = PreservationStatistics.Compute(model, corpus, Layers);
        // a later request: its own QAs leave the retained set, an earlier request's forgotten QAs join
        var later = corpus with
        {
            Retained = corpus.Retained.Take(corpus.Retained.Count - 6).ToList(),
            EarlierForgotten = [.. UniEraseTestKit.Scenario(fixture).Forget.Take(4).Select(q => new QaPair(q.Row.Question, q.Row.Answer))],
        };
        var (removed, added) = statistics.DifferenceTo(later);
        Assert.Equal(6, removed.Count);
        Assert.Equal(4, added.Count);

        var adjusted = PreservationKeys.Covariances(model, later, Layers, 0.3, statistics);
        var fresh = PreservationKeys.Covariances(model, later, Layers, 0.3);
        foreach (var layer in Layers)
        {
            using var difference = (adjusted[layer] - fresh[layer]).abs().max();
            using var scale = fresh[layer].abs().max();
            Assert.True(difference.item<double>() < 1e-6 * scale.item<double>(), $"layer {layer}: {difference.item<double>()} vs scale {scale.item<double>()}");
        }

        var folder = Directory.CreateTempSubdirectory("lethe-statistics-").FullName;
        statistics.Save(folder);
        using var loaded = PreservationStatistics.Load(folder)!;
        Assert.Equal(statistics.Pairs, loaded.Pairs);
        var reloaded = PreservationKeys.Covariances(model, later, Layers, 0.3, loaded);
        foreach (var layer in Layers)
        {
            Assert.True(reloaded[layer].allclose(adjusted[layer]));
        }
        Assert.Null(PreservationStatistics.Load(Path.Combine(folder, "absent")));
        File.WriteAllText(Path.Combine(folder, "statistics.json"), "{ not json");
        var error = Assert.Throws<InvalidDataException>(() => PreservationStatistics.Load(folder));
        Assert.Contains("malformed preservation statistics", error.Message);
        foreach (var tensor in adjusted.Values.Concat(fresh.Values).Concat(reloaded.Values))
        {
            tensor.Dispose();
        }
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void The_base_corpus_projector_built_with_the_sums_is_handed_over_once_and_then_built_anew()
    {
        using var model = UniEraseTestKit.ModelWithToken(fixture);
        var corpus = UniEraseTestKit.Scenario(fixture).PreservationCorpus();
        using var statistics = PreservationStatistics.Compute(model, corpus, Layers);
        Assert.True(statistics.IsBase(corpus));
        Assert.False(statistics.IsBase(corpus with { Retained = corpus.Retained.Skip(1).ToList() }));
        var threshold = EigenThreshold.Relative(0.1);

        statistics.BuildBaseProjectors(Layers, 0.3, threshold);
        foreach (var layer in Layers)
        {
            using var covariance = PreservationKeys.Covariances(model, corpus, [layer], 0.3, statistics)[layer];
            using var expected = NullSpaceProjector.Build(covariance, threshold);
            foreach (var handed in new[] { statistics.BaseProjector(layer, 0.3, threshold), statistics.BaseProjector(layer, 0.3, threshold) })
            {
                using (handed) // the first was built in advance (one thread per layer), the second now
                {
                    Assert.Equal(expected.KeptRank, handed.KeptRank);
                    Assert.Equal(expected.Spectrum.Largest, handed.Spectrum.Largest, 1e-9);
                    Assert.True(handed.Projector.allclose(expected.Projector, rtol: 0, atol: 1e-5), $"layer {layer}");
                }
            }
        }
    }
}
