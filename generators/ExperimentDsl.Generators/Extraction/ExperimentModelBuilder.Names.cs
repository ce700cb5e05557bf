using System.Collections.Generic;
using System.Linq;
using ExperimentDsl.Generators.Diagnostics;
using ExperimentDsl.Generators.Models;
using ExperimentDsl.Generators.Planning;
using Microsoft.CodeAnalysis;

namespace ExperimentDsl.Generators.Extraction;

/// <summary>Run names: reads and checks the [RunName] pattern; the names themselves come from <see cref="RunExpansion"/>.</summary>
internal sealed partial class ExperimentModelBuilder
{
    /// <summary>Where naming problems (unsafe names, collisions) point: the pattern, or [Experiment] for default names.</summary>
    private Location? _namingLocation;

    /// <summary>
    /// Reads [RunName]: false when it is malformed (reported). <paramref name="patternText"/> is null
    /// for the default names.
    /// </summary>
    private bool ReadRunNamePattern(List<MemberInfo> dimensions, out string? patternText, out EquatableArray<NamePart> parts)
    {
        patternText = null;
        parts = EquatableArray<NamePart>.Empty;
        AttributeData? runName = TypeAttributes(KnownNames.RunNameAttribute).FirstOrDefault();
        _namingLocation = runName is null ? Where.Attribute(_experiment, _ct) : Where.Argument(runName, 0, _ct);
        if (runName is null)
        {
            return true;
        }

        if (runName.AttributeConstructor is null || runName.ConstructorArguments.Length != 1 || runName.ConstructorArguments[0].Kind == TypedConstantKind.Error)
        {
            Broken();
            return false;
        }

        patternText = runName.ConstructorArguments[0].Value as string ?? string.Empty;
        RunNamePattern? pattern = RunNamePattern.Parse(patternText, out string? problem);
        if (pattern is null)
        {
            Report(DiagnosticDescriptors.InvalidRunNamePattern, _namingLocation, patternText, problem);
            return false;
        }

        // A member that no run sets is read from its fixed value. (Only extra runs make non-axis members
        // dimensions, and extra runs always exist as runs, so this does not depend on the enumeration.)
        bool ok = true;
        var resolved = new List<NamePart>();
        foreach ((bool isMember, string text) in pattern.Parts)
        {
            if (!isMember)
            {
                resolved.Add(new NamePart(false, text, -1, null));
                continue;
            }

            if (!_byName.TryGetValue(text, out MemberInfo? member))
            {
                Report(DiagnosticDescriptors.InvalidRunNamePattern, _namingLocation, patternText, "'{" + text + "}' is not a property of the record");
                ok = false;
                continue;
            }

            int dimension = dimensions.IndexOf(member);
            if (!member.IsAxis && dimension < 0 && member.Fixed is not { Raw: not null })
            {
                Report(DiagnosticDescriptors.NotConstant, member.FixedLocation ?? Where.Member(member.Symbol, _ct), member.Name, "the run-name pattern uses it");
                ok = false;
                continue;
            }

            resolved.Add(new NamePart(true, text, dimension, dimension < 0 ? member.Fixed : null));
        }

        parts = resolved.ToEquatableArray();
        return ok;
    }
}
