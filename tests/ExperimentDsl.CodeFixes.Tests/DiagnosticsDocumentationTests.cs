using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using ExperimentDsl.Generators.Diagnostics;
using Microsoft.CodeAnalysis;

namespace ExperimentDsl.CodeFixes.Tests;

/// <summary>
/// The help link of every diagnostic (shown in the build output and the IDE) lands on a section of
/// DIAGNOSTICS.md that explains it with an example. Reads DiagnosticDescriptors.cs and
/// DIAGNOSTICS.md and checks them against each other and against the analyzer.
/// </summary>
public sealed partial class DiagnosticsDocumentationTests
{
    private const string DocumentPath = "generators/ExperimentDsl.Generators/DIAGNOSTICS.md";

    private static readonly string RepoRoot = Path.GetFullPath(Path.Combine(
        typeof(DiagnosticsDocumentationTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDir").Value!,
        "..", ".."));

    // The analyzer's, and the generator's task-script checks (they need the scripts as AdditionalFiles).
    private static readonly DiagnosticDescriptor[] Descriptors =
        [.. new ExperimentAnalyzer().SupportedDiagnostics, .. ExperimentDsl.Generators.TaskScripts.TaskScriptCheck.Descriptors];

    [Fact]
    public void The_analyzer_supports_every_descriptor_declared_in_DiagnosticDescriptors_cs()
    {
        // The IDs are declared once, in DiagnosticIds.cs, which the descriptors and the code fixes use.
        string source = File.ReadAllText(Path.Combine(RepoRoot, "generators", "ExperimentDsl.Generators", "Diagnostics", "DiagnosticIds.cs"));
        string[] declared = [.. DescriptorId().Matches(source).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal)];

        Assert.Equal(41, declared.Length);
        Assert.Equal(declared, Descriptors.Select(d => d.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_help_link_points_at_a_heading_of_DIAGNOSTICS_md()
    {
        Dictionary<string, Section> sections = Sections();

        foreach (DiagnosticDescriptor descriptor in Descriptors)
        {
            // The package ships the document at its root, next to which the link is resolved.
            Assert.StartsWith("DIAGNOSTICS.md#", descriptor.HelpLinkUri, StringComparison.Ordinal);
            string anchor = Anchor(descriptor);
            Assert.True(sections.ContainsKey(anchor), $"{descriptor.Id}: no heading of {DocumentPath} has the anchor '#{anchor}'");
            Assert.Equal(descriptor.Id, sections[anchor].Heading);
        }
    }

    [Fact]
    public void Every_section_names_the_title_and_severity_and_shows_an_example()
    {
        Dictionary<string, Section> sections = Sections();

        foreach (DiagnosticDescriptor descriptor in Descriptors)
        {
            Section section = sections[Anchor(descriptor)];
            string severity = descriptor.DefaultSeverity == DiagnosticSeverity.Error ? "error" : "warning";
            Assert.Contains($"**{descriptor.Title}** ({severity})", section.Body, StringComparison.Ordinal);
            Assert.True(
                section.Body.Contains("```csharp\n", StringComparison.Ordinal) && section.Body.Contains("// " + descriptor.Id + ":", StringComparison.Ordinal),
                $"{descriptor.Id}: the section needs a C# example marked with the comment '// {descriptor.Id}: <message>'");
        }
    }

    [Fact]
    public void DIAGNOSTICS_md_documents_no_id_the_analyzer_does_not_report()
    {
        string[] documented = [.. Sections().Values.Select(s => s.Heading).Where(h => h.StartsWith("EXD", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

        Assert.Equal(Descriptors.Select(d => d.Id).Order(StringComparer.Ordinal), documented);
    }

    [Theory]
    [InlineData("EXD001", "exd001")]
    [InlineData("Two runs get the same name", "two-runs-get-the-same-name")]
    [InlineData("Prompt template lacks {input}", "prompt-template-lacks-input")]
    [InlineData("Member/value list", "membervalue-list")]
    public void Anchors_follow_GitHub_rules(string heading, string anchor) => Assert.Equal(anchor, GitHubAnchor(heading));

    private static string Anchor(DiagnosticDescriptor descriptor) => descriptor.HelpLinkUri[(descriptor.HelpLinkUri.IndexOf('#', StringComparison.Ordinal) + 1)..];

    private sealed record Section(string Heading, string Body);

    /// <summary>The sections of DIAGNOSTICS.md by GitHub anchor (headings inside code fences do not count).</summary>
    private static Dictionary<string, Section> Sections()
    {
        string[] lines = File.ReadAllText(Path.Combine(RepoRoot, DocumentPath)).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var sections = new Dictionary<string, Section>(StringComparer.Ordinal);
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        string? heading = null;
        var body = new StringBuilder();
        bool fenced = false;
        foreach (string line in lines.Append("# end"))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
            }

            Match match = fenced ? Match.Empty : Heading().Match(line);
            if (!match.Success)
            {
                body.Append(line).Append('\n');
                continue;
            }

            if (heading is not null)
            {
                string anchor = GitHubAnchor(heading);
                int count = used.GetValueOrDefault(anchor);
                used[anchor] = count + 1;
                sections[count == 0 ? anchor : anchor + "-" + count] = new Section(heading, body.ToString());
            }

            heading = match.Groups[1].Value.Trim();
            body.Clear();
        }

        return sections;
    }

    /// <summary>GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens.</summary>
    private static string GitHubAnchor(string heading)
    {
        var anchor = new StringBuilder();
        foreach (char c in heading.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                anchor.Append(c);
            }
            else if (c == ' ')
            {
                anchor.Append('-');
            }
        }

        return anchor.ToString();
    }

    [GeneratedRegex("const string \\w+ = \"(EXD\\d{3})\"")]
    private static partial Regex DescriptorId();

    [GeneratedRegex("^#{1,6} (.+)$")]
    private static partial Regex Heading();
}
