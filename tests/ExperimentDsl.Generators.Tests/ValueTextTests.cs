using System.Globalization;
using ExperimentDsl.Generators.Formatting;

namespace ExperimentDsl.Generators.Tests;

/// <summary>How numbers read in run names and how they are written as C# literals.</summary>
public sealed class ValueTextTests
{
    [Theory]
    [InlineData(1e-5, "1e-5")]
    [InlineData(5e-5, "5e-5")]
    [InlineData(2.5e-4, "2.5e-4")]
    [InlineData(1e-4, "1e-4")]
    [InlineData(0.00999, "9.99e-3")]
    [InlineData(-3e-7, "-3e-7")]
    [InlineData(1.25e-10, "1.25e-10")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(0.01, "0.01")]
    [InlineData(0.5, "0.5")]
    [InlineData(2.0, "2")]
    [InlineData(0.0, "0")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(1e21, "1000000000000000000000")]
    [InlineData(123.456, "123.456")]
    public void Doubles_read_compactly_and_exactly(double value, string expected)
    {
        Assert.Equal(expected, ValueText.Of(value));
    }

    [Theory]
    [InlineData("fi-FI")]
    [InlineData("tr-TR")]
    [InlineData("ar-SA")]
    public void Formatting_ignores_the_current_culture(string culture)
    {
        using var scope = new Infrastructure.CultureScope(culture);
        Assert.Equal("2.5e-4", ValueText.Of(2.5e-4));
        Assert.Equal("-0.5", ValueText.Of(-0.5));
        Assert.Equal("-1", ValueText.Of(-1L));
        Assert.Equal("1E-05d", Literal.Of(1e-5));
        Assert.Equal("-0.5d", Literal.Of(-0.5));
    }

    [Fact]
    public void Names_round_trip_and_distinct_values_get_distinct_names()
    {
        var random = new Random(1234);
        var seen = new Dictionary<string, double>();
        for (int i = 0; i < 20_000; i++)
        {
            double value = Math.Pow(10, (random.NextDouble() * 12) - 9) * (random.Next(2) == 0 ? 1 : -1);
            string text = ValueText.Of(value);
            Assert.Equal(value, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
            Assert.True(!seen.TryGetValue(text, out double other) || other == value, $"{value} and {other} both read {text}");
            seen[text] = value;

            string literal = Literal.Of(value);
            Assert.Equal(value, double.Parse(literal.TrimEnd('d'), NumberStyles.Float, CultureInfo.InvariantCulture));
        }
    }
}
