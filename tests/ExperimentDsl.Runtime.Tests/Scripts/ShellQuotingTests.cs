using ExperimentDsl.Runtime.Scripts;

namespace ExperimentDsl.Runtime.Tests.Scripts;

/// <summary>Which words go into a script bare: exactly those made only of characters bash never interprets.</summary>
public sealed class ShellQuotingTests
{
    // The rule as written out character by character: letters, digits and _ - . / : @ % + = , of ASCII.
    private static bool Inert(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '_' or '-' or '.' or '/' or ':' or '@' or '%' or '+' or '=' or ',';

    [Fact]
    public void Every_character_alone_inside_a_word_and_at_its_ends_is_bare_exactly_when_bash_leaves_it_alone()
    {
        for (int code = 1; code < 0x3000; code++)
        {
            char c = (char)code;
            if (char.IsSurrogate(c))
            {
                continue;
            }

            foreach (string word in new[] { c.ToString(), "run" + c + "name", c + "/path", "/path" + c })
            {
                string quoted = ShellQuoting.Quote(word, "test value");
                bool bare = word.All(Inert);
                Assert.True(bare ? quoted == word : quoted.StartsWith('\'') && quoted.EndsWith('\''), $"U+{code:X4} in \"{word}\": {quoted}");
            }
        }
    }

    [Fact]
    public void An_empty_word_is_quoted_and_a_quote_inside_is_closed_escaped_and_reopened()
    {
        Assert.Equal("''", ShellQuoting.Quote("", "test value"));
        Assert.Equal("'it'\\''s'", ShellQuoting.Quote("it's", "test value"));
        Assert.Equal("/scratch/me/exp_1/r8_lr1e-5/epoch_0", ShellQuoting.Quote("/scratch/me/exp_1/r8_lr1e-5/epoch_0", "test value"));
    }
}
