using Lethe.Engine.Modeling;
using Lethe.Engine.Modeling.Inference;

namespace Lethe.Engine.Tests.Modeling;

public class DraftedGreedyTests
{
    private static readonly int[][] Prompts = [[1, 5, 9, 12, 4, 3], [1, 7], [1, 22, 30, 8]];
    private static readonly HashSet<int> NoStop = [];

    private static LlamaForCausalLM Model() => new(TinyModels.Config(), seed: 11);

    [Fact]
    public void RightDraftsAreConfirmedInOnePassAndEqualGreedy()
    {
        TorchRuntime.Initialise();
        using var model = Model();
        var greedy = GreedyGenerator.GenerateGreedy(model, Prompts, 8, NoStop, padId: 0);
        var confirmed = DraftedGreedy.Confirm(model, Prompts, greedy, 8, NoStop, padId: 0);
        Assert.Equal(greedy, confirmed.Select(c => c!).ToArray());
    }

    [Fact]
    public void WrongShortOrEmptyDraftsFallBackToDecodingWithTheSameResult()
    {
        TorchRuntime.Initialise();
        using var model = Model();
        var greedy = GreedyGenerator.GenerateGreedy(model, Prompts, 8, NoStop, padId: 0);
        int[][] drafts = [[.. greedy[0][..3], (greedy[0][3] + 1) % 40, 4, 4], greedy[1][..5], []];
        var confirmed = DraftedGreedy.Confirm(model, Prompts, drafts, 8, NoStop, padId: 0);
        Assert.All(confirmed, Assert.Null);
        Assert.Equal(greedy, DraftedGreedy.Generate(model, Prompts, drafts, 8, NoStop, padId: 0));
    }

    [Fact]
    public void StopRulesEndTheOutputOnTheDraftsPath()
    {
        TorchRuntime.Initialise();
        using var model = Model();
        var free = GreedyGenerator.GenerateGreedy(model, [Prompts[0]], 8, NoStop, padId: 0)[0];
        var longer = (int[])[.. free, 7, 7, 7];

        // a stop id met on the path ends the answer before it (a draft that runs past it still decides)
        HashSet<int> stopAtThird = [free[2]];
        var stopped = GreedyGenerator.GenerateGreedy(model, [Prompts[0]], 8, stopAtThird, padId: 0)[0];
        Assert.Equal(stopped, DraftedGreedy.Confirm(model, [Prompts[0]], [longer], 8, stopAtThird, padId: 0)[0]);

        // stopAfter keeps its token; maxNewTokens cuts a longer draft
        Func<int[], int, bool> afterFour = (tokens, _) => tokens.Length == 4;
        Assert.Equal(free[..4], DraftedGreedy.Confirm(model, [Prompts[0]], [longer], 8, NoStop, 0, afterFour)[0]);
        Assert.Equal(free[..5], DraftedGreedy.Confirm(model, [Prompts[0]], [longer], 5, NoStop, padId: 0)[0]);

        // a draft that ends before greedy does is not enough to know the rest
        Assert.Null(DraftedGreedy.Confirm(model, [Prompts[0]], [free[..6]], 8, NoStop, padId: 0)[0]);
    }

    [Fact]
    public void Alternative_drafts_are_tried_in_order()
    {
        TorchRuntime.Initialise();
        using var model = Model();
        var greedy = GreedyGenerator.GenerateGreedy(model, Prompts, 8, NoStop, padId: 0);
        int[] wrong = [(greedy[0][0] + 1) % 40, 4, 4];
        IReadOnlyList<int[]>[] drafts = [[wrong, greedy[0]], [greedy[1], wrong], [wrong]];

        Assert.Equal(greedy, DraftedGreedy.Generate(model, Prompts, drafts, 8, NoStop, padId: 0));
    }

    [Fact]
    public void Decoding_resumes_where_the_draft_leaves_the_path_with_the_stop_rules_seeing_the_whole_answer()
    {
        TorchRuntime.Initialise();
        using var model = Model();
        Func<int[], int, bool> afterSix = (tokens, _) => tokens.Length == 6;
        var greedy = GreedyGenerator.GenerateGreedy(model, Prompts, 10, NoStop, 0, stopAfter: afterSix);
        IReadOnlyList<int[]>[] drafts = [[[greedy[0][0], greedy[0][1], (greedy[0][2] + 1) % 40]], [[]], [greedy[2][..3]]];

        var drafted = DraftedGreedy.Generate(model, Prompts, drafts, 10, NoStop, 0, afterSix);

        Assert.Equal(greedy, drafted);
        Assert.All(drafted, answer => Assert.Equal(6, answer.Length));
    }
}
