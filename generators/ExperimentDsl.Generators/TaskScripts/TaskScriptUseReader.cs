using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using ExperimentDsl.Generators.Catalog;
using ExperimentDsl.Generators.Extraction;
using ExperimentDsl.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ExperimentDsl.Generators.TaskScripts;

/// <summary>
/// Reads the <c>[EvalTask]</c>s of an experiment for the task-script check. Malformed attributes are
/// skipped: the analyzer reports them (EXD012, EXD013), and a script check on top would only repeat it.
/// </summary>
internal static class TaskScriptUseReader
{
    /// <summary>Null when the declaring file has no path (scripts resolve against its directory).</summary>
    public static ExperimentTaskUses? Read(INamedTypeSymbol type, AttributeData experiment, SemanticModel semanticModel, CancellationToken ct)
    {
        string? declaringFile = experiment.ApplicationSyntaxReference?.SyntaxTree.FilePath;
        if (string.IsNullOrEmpty(declaringFile) || experiment.ConstructorArguments.FirstOrDefault().Value is not string experimentName)
        {
            return null;
        }

        string baseDirectory = ScriptPath.Normalize(declaringFile!);
        baseDirectory = baseDirectory.Substring(0, System.Math.Max(0, baseDirectory.LastIndexOf('/')));
        ImmutableArray<AttributeData> attributes = type.GetAttributes();
        bool experimentHasControls = attributes.Any(a => MetadataNames.Is(a, KnownNames.ControlAttribute));
        bool systemPromptSet = SystemPromptSet(type, semanticModel, ct);
        var uses = new List<TaskScriptUse>();
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (AttributeData attribute in attributes.Where(a => MetadataNames.Is(a, KnownNames.EvalTaskAttribute)))
        {
            if (attribute.ConstructorArguments.Length != 2
                || attribute.ConstructorArguments[0].Value is not string name
                || attribute.ConstructorArguments[1].Value is not string script
                || script.Trim().Length == 0
                || !seen.Add(name)
                || Where.Attribute(attribute, ct) is not { } location)
            {
                continue;
            }

            bool controls = Named(attribute, KnownNames.EvalTaskMembers.Controls) is not false;
            bool ownDataset = Named(attribute, KnownNames.EvalTaskMembers.Dataset) is string;
            uses.Add(new TaskScriptUse(
                name,
                script,
                ScriptPath.Resolve(baseDirectory, script),
                experimentHasControls && controls,
                ownDataset,
                systemPromptSet,
                SourceSpan.Of(location)));
        }

        return new ExperimentTaskUses(experimentName, uses.ToEquatableArray());
    }

    private static object? Named(AttributeData attribute, string name) =>
        attribute.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value;

    // Any non-empty value of a SystemPrompt property: swept values, or a constant initializer.
    // Unknown (not constant) counts as empty: the scaffold-time check still catches that case.
    private static bool SystemPromptSet(INamedTypeSymbol type, SemanticModel semanticModel, CancellationToken ct)
    {
        if (type.GetMembers(SettingCatalog.SystemPrompt.Name).OfType<IPropertySymbol>().FirstOrDefault() is not { } property)
        {
            return false;
        }

        AttributeData? sweep = property.GetAttributes().FirstOrDefault(a => MetadataNames.Is(a, KnownNames.SweepAttribute));
        if (sweep is not null)
        {
            return sweep.ConstructorArguments
                .SelectMany(a => a.Kind == TypedConstantKind.Array ? a.Values : [a])
                .Any(v => v.Value is string { Length: > 0 });
        }

        foreach (SyntaxReference reference in property.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(ct) is PropertyDeclarationSyntax { Initializer.Value: { } initializer }
                && reference.SyntaxTree == semanticModel.SyntaxTree)
            {
                return semanticModel.GetConstantValue(initializer, ct) is { HasValue: true, Value: string { Length: > 0 } };
            }
        }

        return false;
    }
}
