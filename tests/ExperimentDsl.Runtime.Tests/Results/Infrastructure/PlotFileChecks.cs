using System.Buffers.Binary;
using System.Globalization;
using System.Xml.Linq;
using Xunit;

namespace ExperimentDsl.Tests.Results;

/// <summary>Checks that plot files are what an image viewer opens: a PNG with its signature and IHDR size, an SVG document with its size.</summary>
public static class PlotFileChecks
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Asserts <paramref name="path"/> is a PNG of <paramref name="width"/> x <paramref name="height"/> pixels.</summary>
    public static void AssertPng(string path, int width, int height)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 33, $"{path} is too short for a PNG");
        Assert.Equal(PngSignature, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        Assert.Equal("IEND", System.Text.Encoding.ASCII.GetString(bytes, bytes.Length - 8, 4));
    }

    /// <summary>Asserts <paramref name="path"/> parses as XML with an <c>svg</c> root of the given width and height.</summary>
    public static void AssertSvg(string path, int width, int height)
    {
        XDocument document = XDocument.Load(path);
        XElement root = document.Root!;
        Assert.Equal("svg", root.Name.LocalName);
        Assert.Equal(width, Pixels(root.Attribute("width")?.Value, path));
        Assert.Equal(height, Pixels(root.Attribute("height")?.Value, path));
    }

    private static double Pixels(string? value, string path)
    {
        Assert.False(string.IsNullOrEmpty(value), $"{path}: the svg root has no width/height");
        string number = value!.EndsWith("px", StringComparison.Ordinal) ? value[..^2] : value;
        return double.Parse(number, CultureInfo.InvariantCulture);
    }
}
