using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System;
using ExperimentDsl.Generators.Catalog;
using ExperimentDsl.Generators.Diagnostics;
using ExperimentDsl.Generators.Models;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis;

namespace ExperimentDsl.Generators.Extraction;

/// <summary>The run list: grid of axes, paired groups, exclusions and extra runs.</summary>
internal sealed partial class ExperimentModelBuilder
{
    /// <summary>The grid as declared: dimensions, units, exclusions and extra runs, checked but not enumerated.</summary>
    private sealed record Grid(
        List<MemberInfo> Dimensions,
        EquatableArray<EquatableArray<int>> Units,
        EquatableArray<EquatableArray<DimensionValue>> Exclusions,
        EquatableArray<EquatableArray<DimensionValue>> ExtraRuns);

    private Grid? PlanGrid()
    {
        List<MemberInfo> axes = _members.Where(m => m.IsAxis).ToList();
        List<List<MemberInfo>> units = ReadPairs(axes);
        WarnDuplicateSweepValues(units);

        List<(string Name, Value Value, MemberInfo Member)[]> exclusions = ReadMemberValueLists(KnownNames.ExcludeAttribute, "Exclude", extraRun: false)
            .Select(e => e.Pairs).ToList();
        List<(string Name, Value Value, MemberInfo Member)[]> extras = ReadMemberValueLists(KnownNames.ExtraRunAttribute, "ExtraRun", extraRun: true)
            .Select(e => e.Pairs).ToList();

        // Members set only by extra runs are dimensions too: the other runs keep their fixed value.
        var dimensions = axes.ToList();
        foreach (MemberInfo member in extras.SelectMany(e => e).Select(p => p.Member).Distinct())
        {
            if (!member.IsAxis && !dimensions.Contains(member))
            {
                dimensions.Add(member);
                if (member.Fixed is null)
                {
                    Report(DiagnosticDescriptors.NotConstant, member.FixedLocation ?? Where.Member(member.Symbol, _ct), member.Name,
                        "[ExtraRun] sets it, so the value of the other runs must be known at compile time");
                }
            }
        }

        dimensions.Sort((a, b) => a.Order.CompareTo(b.Order));
        if (_invalid)
        {
            return null;
        }

        long gridSize = 1;
        foreach (List<MemberInfo> unit in units)
        {
            gridSize = Math.Min(gridSize * unit[0].Sweep!.Count, long.MaxValue / 1_000_000);
        }

        if (gridSize + extras.Count > RunCeiling)
        {
            Report(DiagnosticDescriptors.GridBeyondCeiling, Where.Attribute(_experiment, _ct), ExperimentNameForMessages,
                (gridSize + extras.Count).ToString(CultureInfo.InvariantCulture), RunCeiling.ToString(CultureInfo.InvariantCulture));
            return null;
        }

        EquatableArray<DimensionValue> Values((string Name, Value Value, MemberInfo Member)[] pairs) =>
            pairs.Select(p => new DimensionValue(dimensions.IndexOf(p.Member), p.Value)).ToEquatableArray();

        return new Grid(
            dimensions,
            units.Select(u => u.Select(m => dimensions.IndexOf(m)).ToEquatableArray()).ToEquatableArray(),
            exclusions.Select(Values).ToEquatableArray(),
            extras.Select(Values).ToEquatableArray());
    }

    private string ExperimentNameForMessages =>
        _experiment.ConstructorArguments.FirstOrDefault().Value as string ?? _type.Name;

    /// <summary>Grid units in axis order: single axes, or paired groups at the position of their first declared member.</summary>
    private List<List<MemberInfo>> ReadPairs(List<MemberInfo> axes)
    {
        var groupOf = new Dictionary<MemberInfo, List<MemberInfo>>();
        foreach (AttributeData attribute in TypeAttributes(KnownNames.PairedAttribute))
        {
            if (attribute.AttributeConstructor is null || attribute.ConstructorArguments.Length != 1
                || attribute.ConstructorArguments[0] is not { Kind: TypedConstantKind.Array, IsNull: false } array)
            {
                Broken();
                continue;
            }

            var group = new List<MemberInfo>();
            for (int i = 0; i < array.Values.Length; i++)
            {
                string? name = array.Values[i].Value as string;
                if (name is null || !_byName.TryGetValue(name, out MemberInfo? member) || !member.IsAxis)
                {
                    if (name is not null && _byName.TryGetValue(name, out MemberInfo? known) && known.SweepAttribute is not null)
                    {
                        Broken(); // its [Sweep] is already reported
                    }
                    else
                    {
                        Report(DiagnosticDescriptors.UnknownMember, Where.Argument(attribute, i, _ct), "Paired", name ?? "null", "a swept property of the record");
                    }

                    continue;
                }

                if (group.Contains(member) || groupOf.ContainsKey(member))
                {
                    Report(DiagnosticDescriptors.InvalidPairing, Where.Argument(attribute, i, _ct), "'" + name + "' is paired more than once");
                    continue;
                }

                group.Add(member);
            }

            if (group.Select(m => m.Sweep!.Count).Distinct().Count() > 1)
            {
                Report(DiagnosticDescriptors.InvalidPairing, Where.Attribute(attribute, _ct),
                    "the paired axes have different numbers of values: "
                    + string.Join(", ", group.Select(m => m.Name + " has " + m.Sweep!.Count.ToString(CultureInfo.InvariantCulture))));
                continue;
            }

            foreach (MemberInfo member in group)
            {
                groupOf[member] = group;
            }
        }

        var units = new List<List<MemberInfo>>();
        foreach (MemberInfo axis in axes)
        {
            if (!groupOf.TryGetValue(axis, out List<MemberInfo>? group))
            {
                units.Add([axis]);
            }
            else if (group.OrderBy(m => m.Order).First() == axis)
            {
                units.Add(group.OrderBy(m => m.Order).ToList());
            }
        }

        return units;
    }

    /// <summary>EXD006, dropping the repeats; paired axes may repeat values as long as the zipped tuples differ (collisions catch the rest).</summary>
    private void WarnDuplicateSweepValues(List<List<MemberInfo>> units)
    {
        foreach (List<MemberInfo> unit in units.Where(u => u.Count == 1))
        {
            MemberInfo axis = unit[0];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var distinct = new List<Value>();
            for (int i = 0; i < axis.Sweep!.Count; i++)
            {
                if (seen.Add(axis.Sweep[i].Literal))
                {
                    distinct.Add(axis.Sweep[i]);
                }
                else
                {
                    Report(DiagnosticDescriptors.DuplicateSweepValue, Where.Argument(axis.SweepAttribute!, i, _ct), axis.Name, axis.Sweep[i].Text);
                }
            }

            // A repeated value would only produce identical runs; keep the first and let the warning explain.
            axis.Sweep = distinct;
        }
    }

    /// <summary>Reads [Exclude] / [ExtraRun]: alternating member names and values.</summary>
    private List<(AttributeData Attribute, (string Name, Value Value, MemberInfo Member)[] Pairs)> ReadMemberValueLists(string metadataName, string display, bool extraRun)
    {
        var lists = new List<(AttributeData, (string, Value, MemberInfo)[])>();
        foreach (AttributeData attribute in TypeAttributes(metadataName))
        {
            if (attribute.AttributeConstructor is null || attribute.ConstructorArguments.Length != 1
                || attribute.ConstructorArguments[0] is not { Kind: TypedConstantKind.Array } array)
            {
                Broken();
                continue;
            }

            ImmutableArray<TypedConstant> items = array.IsNull ? ImmutableArray<TypedConstant>.Empty : array.Values;
            if (items.Length == 0 || items.Length % 2 != 0)
            {
                Report(DiagnosticDescriptors.MalformedMemberValueList, Where.Attribute(attribute, _ct), display,
                    "it has " + items.Length.ToString(CultureInfo.InvariantCulture) + " argument(s); expected pairs of member name and value");
                continue;
            }

            var pairs = new List<(string, Value, MemberInfo)>();
            bool ok = true;
            for (int i = 0; i < items.Length; i += 2)
            {
                if (items[i].Kind == TypedConstantKind.Error || items[i + 1].Kind == TypedConstantKind.Error)
                {
                    Broken();
                    ok = false;
                    continue;
                }

                if (items[i].Value is not string name)
                {
                    Report(DiagnosticDescriptors.MalformedMemberValueList, Where.Argument(attribute, i, _ct), display,
                        "argument " + (i + 1).ToString(CultureInfo.InvariantCulture) + " is " + items[i].ToCSharpString() + " but must be a member name (use nameof)");
                    ok = false;
                    continue;
                }

                bool usable = _byName.TryGetValue(name, out MemberInfo? member)
                    && (member!.IsAxis || (extraRun && member.IsSettable && member.Shape.Kind != SettingKind.Unsupported));
                if (!usable && member?.SweepAttribute is not null)
                {
                    Broken(); // its [Sweep] is already reported
                    ok = false;
                    continue;
                }

                if (!usable)
                {
                    Report(DiagnosticDescriptors.UnknownMember, Where.Argument(attribute, i, _ct), display, name,
                        extraRun ? "a settable property of the record with a supported type" : "a swept property of the record");
                    ok = false;
                    continue;
                }

                if (pairs.Any(p => p.Item3 == member))
                {
                    Report(DiagnosticDescriptors.MalformedMemberValueList, Where.Argument(attribute, i, _ct), display, "'" + name + "' is listed twice");
                    ok = false;
                    continue;
                }

                Location? valueLocation = Where.Argument(attribute, i + 1, _ct);
                Value? value = ConvertArgument(items[i + 1], member!, valueLocation);
                if (value is null)
                {
                    ok = false;
                    continue;
                }

                if (extraRun)
                {
                    CheckRange(member!, value, valueLocation);
                }

                pairs.Add((name, value, member!));
            }

            if (ok)
            {
                lists.Add((attribute, pairs.ToArray()));
            }
        }

        return lists;
    }
}
