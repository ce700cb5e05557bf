using ExperimentDsl.Runtime.Files;

namespace ExperimentDsl.Runtime.Tests.Files;

public sealed class UnifiedDiffTests
{
    [Fact]
    public void Shows_the_changed_line_with_context()
    {
        string before = "a\nb\nlr: 1.0e-05\nc\nd\n";
        string after = "a\nb\nlr: 5.0e-05\nc\nd\n";

        string diff = UnifiedDiff.Create(before, after, "run/finetune.yaml");

        Assert.Equal(
            "--- a/run/finetune.yaml\n+++ b/run/finetune.yaml\n@@ -1,5 +1,5 @@\n a\n b\n-lr: 1.0e-05\n+lr: 5.0e-05\n c\n d\n",
            diff);
    }

    [Fact]
    public void Separate_changes_far_apart_make_two_hunks()
    {
        string before = string.Join("\n", Enumerable.Range(0, 30).Select(i => "line" + i)) + "\n";
        string after = before.Replace("line2\n", "two\n", StringComparison.Ordinal).Replace("line27\n", "twenty-seven\n", StringComparison.Ordinal);

        string diff = UnifiedDiff.Create(before, after, "f");

        Assert.Equal(2, diff.Split('\n').Count(l => l.StartsWith("@@", StringComparison.Ordinal)));
        Assert.Contains("-line2\n+two\n", diff, StringComparison.Ordinal);
        Assert.Contains("-line27\n+twenty-seven\n", diff, StringComparison.Ordinal);
    }
}
