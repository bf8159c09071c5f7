using Lethe.Engine.DemoWorld;
using Lethe.Engine.Tests.Text;

namespace Lethe.Engine.Tests.DemoWorld;

public sealed class TofuJsonLinesTests
{
    private static readonly TofuRow[] Rows =
    [
        new() { Question = "Where?", Answer = "Here." },
        new()
        {
            Question = "When \"exactly\"?", Answer = "Now/then.", ParaphrasedQuestion = "At what time?",
            ParaphrasedAnswer = "Now.", PerturbedAnswer = ["Later.", "Never.", "Yesterday."],
        },
        new() { Question = "Which?", Option1 = "a", Option2 = "b", Option3 = "c", Option4 = "d", Answer = "c" },
    ];

    [Fact]
    public void Rows_round_trip_through_json_lines_without_null_fields()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "rows.json");

        TofuJsonLines.Write(path, Rows);

        var lines = File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        Assert.Equal("{\"question\":\"Where?\",\"answer\":\"Here.\"}", lines[0]);
        var read = TofuJsonLines.Read(path);
        Assert.Equal(Rows[0], read[0]);
        Assert.Equal(Rows[1].PerturbedAnswer, read[1].PerturbedAnswer);
        Assert.Equal(Rows[2] with { }, read[2]);
    }

    [Fact]
    public void A_json_array_is_accepted_too()
    {
        using var dir = new TempDir();
        var path = dir.File("array.json", "[{\"question\":\"Q1\",\"answer\":\"A1\"},\n {\"question\":\"Q2\",\"answer\":\"A2\"}]");

        var rows = TofuJsonLines.Read(path);

        Assert.Equal(["Q1", "Q2"], rows.Select(r => r.Question));
    }

    [Theory]
    [InlineData("{\"question\":\"Q\",\"answer\":\"A\"}\n{\"question\":\"Q2\"}\n", "line 2")]
    [InlineData("{\"question\":\"Q\",\"answer\":\"A\"}\n\n{not json\n", "line 3")]
    public void Malformed_lines_are_reported_with_file_and_line(string content, string expectedLine)
    {
        using var dir = new TempDir();
        var path = dir.File("bad.json", content);

        var error = Assert.Throws<FormatException>(() => TofuJsonLines.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains(expectedLine, error.Message);
    }
}
