using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using ExperimentDsl.Generators.Catalog;
using ExperimentDsl.Generators.Diagnostics;
using ExperimentDsl.Generators.Planning;
using Microsoft.CodeAnalysis;

namespace ExperimentDsl.Generators.Extraction;

/// <summary>Run names: the [RunName] pattern or the default one, then safety and collision checks on the actual names.</summary>
internal sealed partial class ExperimentModelBuilder
{
    private sealed record NamedRuns(string Pattern, List<MemberInfo> Varying, List<string> Names);

    private NamedRuns? NameRuns(List<Row> rows)
    {
        List<MemberInfo> varying = rows.Count == 0
            ? []
            : rows[0].Dimensions.Where(d => rows.Select(r => r.Values[d].Literal).Distinct(StringComparer.Ordinal).Count() > 1).ToList();

        AttributeData? runName = TypeAttributes(KnownNames.RunNameAttribute).FirstOrDefault();
        Location? where = runName is null ? Where.Attribute(_experiment, _ct) : Where.Argument(runName, 0, _ct);
        string patternText;
        List<string>? names;
        if (runName is not null)
        {
            if (runName.AttributeConstructor is null || runName.ConstructorArguments.Length != 1 || runName.ConstructorArguments[0].Kind == TypedConstantKind.Error)
            {
                Broken();
                return null;
            }

            patternText = runName.ConstructorArguments[0].Value as string ?? string.Empty;
            names = NamesFromPattern(patternText, rows, where);
        }
        else
        {
            patternText = DefaultPattern(varying, out bool modelOnly);
            names = modelOnly ? ModelOnlyNames(rows) : rows.Select(r => string.Join("_", varying.Select(d => d.Prefix.Length == 0 && d.Shape.IsModel ? r.Values[d].ShortText : d.Prefix + r.Values[d].ShortText))).ToList();
        }

        if (names is null)
        {
            return null;
        }

        foreach (string unsafeName in names.Distinct(StringComparer.Ordinal))
        {
            if (SafeName.Problem(unsafeName) is string problem)
            {
                Report(DiagnosticDescriptors.UnsafeRunName, where, unsafeName, problem);
            }
        }

        foreach (IGrouping<string, int> clash in Enumerable.Range(0, names.Count).GroupBy(i => names[i], StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            Report(DiagnosticDescriptors.RunNameCollision, where, clash.Key, string.Join(", ", clash.Select(i => rows[i].Describe(i))));
        }

        return new NamedRuns(patternText, varying, names);
    }

    /// <summary>
    /// The default pattern in placeholder syntax, e.g. <c>{Model}_r{LoraRank}_lr{LearningRate}</c>.
    /// <c>{Model}</c> stands for the short name here. With nothing varying, the model's short name alone.
    /// </summary>
    private static string DefaultPattern(List<MemberInfo> varying, out bool modelOnly)
    {
        modelOnly = varying.Count == 0;
        if (modelOnly)
        {
            return "{Model}";
        }

        return string.Join("_", varying.Select(d => (d.Shape.IsModel && d.Setting is not null ? string.Empty : d.Prefix) + "{" + d.Name + "}"));
    }

    private List<string>? ModelOnlyNames(List<Row> rows)
    {
        string? shortName = ModelOfFirstRun(rows, "the default run name of a single run is the model's short name")?.ShortText;
        return shortName is null ? null : rows.Select(_ => shortName).ToList();
    }

    /// <summary>The model of the first run (or of the experiment when it has no runs).</summary>
    private Value? ModelOfFirstRun(List<Row> rows, string why)
    {
        if (_byName.TryGetValue("Model", out MemberInfo? model) && model.Setting is not null)
        {
            if (rows.Count > 0 && rows[0].Values.TryGetValue(model, out Value? value))
            {
                return value;
            }

            if (model.Fixed is null)
            {
                Report(DiagnosticDescriptors.NotConstant, model.FixedLocation ?? Where.Member(model.Symbol, _ct), "Model", why);
            }

            return model.Fixed;
        }

        ModelEntry? entry = ModelTable.Find((string)SettingsTable.Find("Model")!.Default!);
        return entry is null ? null : new Value(entry.Member, "global::ExperimentDsl.Model." + entry.Member, entry.Name, entry.ShortName);
    }

    private List<string>? NamesFromPattern(string patternText, List<Row> rows, Location? where)
    {
        RunNamePattern? pattern = RunNamePattern.Parse(patternText, out string? problem);
        if (pattern is null)
        {
            Report(DiagnosticDescriptors.InvalidRunNamePattern, where, patternText, problem);
            return null;
        }

        bool ok = true;
        foreach ((bool isMember, string text) in pattern.Parts)
        {
            if (!isMember)
            {
                continue;
            }

            if (!_byName.TryGetValue(text, out MemberInfo? member))
            {
                Report(DiagnosticDescriptors.InvalidRunNamePattern, where, patternText, "'{" + text + "}' is not a property of the record");
                ok = false;
            }
            else if (!member.IsAxis && !(rows.Count > 0 && rows[0].Values.ContainsKey(member)) && member.Fixed is not { Raw: not null })
            {
                Report(DiagnosticDescriptors.NotConstant, member.FixedLocation ?? Where.Member(member.Symbol, _ct), member.Name, "the run-name pattern uses it");
                ok = false;
            }
        }

        if (!ok)
        {
            return null;
        }

        return rows.Select(row =>
        {
            var name = new StringBuilder();
            foreach ((bool isMember, string text) in pattern.Parts)
            {
                if (!isMember)
                {
                    name.Append(text);
                    continue;
                }

                MemberInfo member = _byName[text];
                name.Append(row.Values.TryGetValue(member, out Value? value) ? value.Text : member.Fixed!.Text);
            }

            return name.ToString();
        }).ToList();
    }
}
