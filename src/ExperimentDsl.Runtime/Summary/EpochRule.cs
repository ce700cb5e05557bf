using ExperimentDsl.Runtime.Catalogue;
namespace ExperimentDsl.Runtime.Summary;

/// <summary>How evaluated epochs are chosen: the last, all, or a list (0-indexed).</summary>
internal sealed record EpochRule(EpochSelection Selection, IReadOnlyList<int> Listed)
{
    public static EpochRule Last { get; } = new(EpochSelection.Last, []);

    public static EpochRule All { get; } = new(EpochSelection.All, []);

    public static EpochRule List(IEnumerable<int> epochs) => new(EpochSelection.List, [.. epochs.Distinct().Order()]);

    /// <summary>The epochs of a run with <paramref name="epochCount"/> training epochs.</summary>
    public IReadOnlyList<int> For(int epochCount) => Selection switch
    {
        EpochSelection.Last => [epochCount - 1],
        EpochSelection.All => [.. Enumerable.Range(0, epochCount)],
        _ => Listed,
    };

    public override string ToString() => Selection switch
    {
        EpochSelection.Last => "last",
        EpochSelection.All => "all",
        _ => string.Join(", ", Listed.Select(NumberText.Format)),
    };

    /// <summary>Reads <c>last</c>, <c>all</c>, <c>none</c> or a list such as <c>0, 1</c> / <c>epoch 0,1</c> / <c>[0, 1]</c>.</summary>
    public static EpochRule? Parse(string text)
    {
        string withoutNotes = StripParentheses(text);
        string key = SummaryKeys.Normalize(withoutNotes);
        if (key is "last" or "lastepoch" or "finalepoch" or "final")
        {
            return Last;
        }

        if (key is "all" or "allepochs" or "every" or "everyepoch")
        {
            return All;
        }

        if (key is "none" or "")
        {
            return List([]);
        }

        var numbers = Numbers(withoutNotes);
        return numbers is null ? null : List(numbers);
    }

    /// <summary>The integers of an epoch list; <see langword="null"/> when anything else but the word epoch(s) is there.</summary>
    public static IReadOnlyList<int>? Numbers(string text)
    {
        var numbers = new List<int>();
        foreach (string word in text.Split([' ', ',', ';', '[', ']', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (SummaryKeys.Is(word, "epoch", "epochs", "and"))
            {
                continue;
            }

            if (!NumberText.TryParseInt(word, out int epoch) || epoch < 0)
            {
                return null;
            }

            numbers.Add(epoch);
        }

        return numbers;
    }

    private static string StripParentheses(string text)
    {
        int open = text.IndexOf('(', StringComparison.Ordinal);
        return open < 0 ? text : text[..open];
    }
}
