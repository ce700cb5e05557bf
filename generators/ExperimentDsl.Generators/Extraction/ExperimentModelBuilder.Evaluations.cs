using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using ExperimentDsl.Generators.Catalog;
using ExperimentDsl.Generators.Diagnostics;
using ExperimentDsl.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ExperimentDsl.Generators.Extraction;

/// <summary>Controls, evaluation tasks and the evaluation matrix.</summary>
internal sealed partial class ExperimentModelBuilder
{
    /// <summary>Epochs chosen by [EvalEpochs] or a task's Epochs: a list, or all / the last of a run's epochs.</summary>
    private sealed record EpochChoice(bool All, bool Last, int[] List, AttributeData? Source, string? NamedArgument);

    /// <summary>What the matrix needs to know about one task beyond its model.</summary>
    private sealed record TaskRules(string Name, EpochChoice? Epochs, HashSet<string>? Runs, bool Controls);

    private List<ControlModel> ReadControls(List<Row> rows)
    {
        var controls = new List<ControlModel>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (AttributeData attribute in TypeAttributes(KnownNames.ControlAttribute))
        {
            if (attribute.AttributeConstructor is null || attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error))
            {
                Broken();
                continue;
            }

            Value? model;
            if (attribute.ConstructorArguments.Length == 0)
            {
                model = ModelOfFirstRun(rows, "[Control] without a model evaluates the experiment's model");
            }
            else
            {
                TypedConstant argument = attribute.ConstructorArguments[0];
                model = argument.Type is INamedTypeSymbol enumType ? ValueShape.Of(enumType).Convert(argument.Value, argument.Type) : null;
                if (model is null)
                {
                    Report(DiagnosticDescriptors.SweepValueNotConvertible, Where.Argument(attribute, 0, _ct), "Control", argument.ToCSharpString(), "a model of the catalogue");
                }
            }

            if (model is null)
            {
                continue;
            }

            if (!seen.Add(model.Text))
            {
                Report(DiagnosticDescriptors.RunNameCollision, Where.Attribute(attribute, _ct), model.Text, "two [Control] attributes evaluate the base model " + model.Text);
                continue;
            }

            controls.Add(new ControlModel(model.Text, model.Literal));
        }

        return controls;
    }

    private List<TaskModel> ReadTasks(List<string> runNames, out List<TaskRules> rules)
    {
        var tasks = new List<TaskModel>();
        rules = [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (AttributeData attribute in TypeAttributes(KnownNames.EvalTaskAttribute))
        {
            ImmutableArray<TypedConstant> args = attribute.ConstructorArguments;
            if (attribute.AttributeConstructor is null || args.Length != 2 || args.Any(a => a.Kind == TypedConstantKind.Error)
                || attribute.NamedArguments.Any(a => a.Value.Kind == TypedConstantKind.Error))
            {
                Broken();
                continue;
            }

            string name = args[0].Value as string ?? string.Empty;
            string script = args[1].Value as string ?? string.Empty;
            if (Planning.SafeName.Problem(name) is string problem)
            {
                Report(DiagnosticDescriptors.InvalidEvalTask, Where.Argument(attribute, 0, _ct), name, "its name is not a safe file name: " + problem);
                continue;
            }

            if (!seen.Add(name))
            {
                Report(DiagnosticDescriptors.DuplicateEvalTask, Where.Argument(attribute, 0, _ct), name);
                continue;
            }

            if (script.Trim().Length == 0)
            {
                Report(DiagnosticDescriptors.InvalidEvalTask, Where.Argument(attribute, 1, _ct), name, "its script path is empty");
                continue;
            }

            string? dataset = Named(attribute, "Dataset")?.Value as string;
            string? description = Named(attribute, "Description")?.Value as string;
            bool controls = Named(attribute, "Controls")?.Value as bool? ?? true;

            EpochChoice? epochs = null;
            if (Named(attribute, "Epochs") is { Kind: TypedConstantKind.Array, IsNull: false } epochArray && epochArray.Values.Length > 0)
            {
                epochs = new EpochChoice(false, false, epochArray.Values.Select(v => v.Value is int e ? e : 0).ToArray(), attribute, "Epochs");
            }

            HashSet<string>? runs = null;
            if (Named(attribute, "Runs") is { Kind: TypedConstantKind.Array, IsNull: false } runArray && runArray.Values.Length > 0)
            {
                runs = new HashSet<string>(StringComparer.Ordinal);
                for (int i = 0; i < runArray.Values.Length; i++)
                {
                    string runName = runArray.Values[i].Value as string ?? "null";
                    if (!runNames.Contains(runName, StringComparer.Ordinal))
                    {
                        Report(DiagnosticDescriptors.UnknownEvalRun, Where.Named(attribute, "Runs", i, _ct), name, runName, string.Join(", ", runNames));
                    }

                    runs.Add(runName);
                }
            }

            tasks.Add(new TaskModel(name, script, dataset, description));
            rules.Add(new TaskRules(name, epochs, runs, controls));
        }

        return tasks;
    }

    private static TypedConstant? Named(AttributeData attribute, string name)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key == name)
            {
                return argument.Value;
            }
        }

        return null;
    }

    private EpochChoice? ReadEvalEpochs()
    {
        AttributeData? attribute = TypeAttributes(KnownNames.EvalEpochsAttribute).FirstOrDefault();
        if (attribute is null)
        {
            return new EpochChoice(false, true, [], null, null);
        }

        if (attribute.AttributeConstructor is null || attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Kind == TypedConstantKind.Error)
        {
            Broken();
            return null;
        }

        TypedConstant argument = attribute.ConstructorArguments[0];
        if (argument.Kind == TypedConstantKind.Array)
        {
            int[] list = argument.IsNull ? [] : argument.Values.Select(v => v.Value is int e ? e : 0).ToArray();
            return new EpochChoice(false, false, list, attribute, null);
        }

        // EpochSelection: Last = 0, All = 1, List = 2 (a list without epochs evaluates nothing).
        return argument.Value switch
        {
            0 => new EpochChoice(false, true, [], attribute, null),
            1 => new EpochChoice(true, false, [], attribute, null),
            _ => new EpochChoice(false, false, [], attribute, null),
        };
    }

    private List<EvalCellModel> PlanEvaluations(List<Row> rows, List<string> runNames, List<TaskRules> tasks, List<ControlModel> controls)
    {
        var cells = new List<EvalCellModel>();
        EpochChoice? experimentEpochs = ReadEvalEpochs();
        if (experimentEpochs is null)
        {
            return cells;
        }

        int?[] epochCounts = EpochCounts(rows, tasks.Select(t => t.Epochs ?? experimentEpochs).Any(c => c.All || c.Last));
        var reported = new HashSet<(AttributeData?, string?, int)>();
        for (int r = 0; r < rows.Count; r++)
        {
            foreach (TaskRules task in tasks)
            {
                if (task.Runs is not null && !task.Runs.Contains(runNames[r]))
                {
                    continue;
                }

                EpochChoice choice = task.Epochs ?? experimentEpochs;
                IEnumerable<int> epochs;
                if (choice.All || choice.Last)
                {
                    if (epochCounts[r] is not int count)
                    {
                        continue; // EXD023 already reported
                    }

                    epochs = choice.All ? Enumerable.Range(0, count) : [count - 1];
                }
                else
                {
                    for (int i = 0; i < choice.List.Length; i++)
                    {
                        int epoch = choice.List[i];
                        if ((epoch < 0 || (epochCounts[r] is int count && epoch >= count)) && reported.Add((choice.Source, choice.NamedArgument, epoch)))
                        {
                            Location? where = choice.NamedArgument is null ? Where.Argument(choice.Source!, i, _ct) : Where.Named(choice.Source!, choice.NamedArgument, i, _ct);
                            int trained = epochCounts[r] ?? 0;
                            Report(DiagnosticDescriptors.EvalEpochOutOfRange, where, epoch.ToString(CultureInfo.InvariantCulture), runNames[r],
                                trained.ToString(CultureInfo.InvariantCulture), (trained - 1).ToString(CultureInfo.InvariantCulture));
                        }
                    }

                    epochs = choice.List;
                }

                foreach (int epoch in epochs.Distinct().OrderBy(e => e))
                {
                    cells.Add(new EvalCellModel(runNames[r], task.Name, epoch));
                }
            }
        }

        foreach (ControlModel control in controls)
        {
            foreach (TaskRules task in tasks.Where(t => t.Controls))
            {
                cells.Add(new EvalCellModel(control.Name, task.Name, null));
            }
        }

        return cells;
    }

    /// <summary>Each run's number of epochs, or null when it is not known at compile time.</summary>
    private int?[] EpochCounts(List<Row> rows, bool required)
    {
        int? fallback = (int?)SettingsTable.Find("Epochs")!.Default;
        MemberInfo? member = _byName.TryGetValue("Epochs", out MemberInfo? m) && m.Setting is not null ? m : null;
        if (member is not null && !member.IsAxis && !(rows.Count > 0 && rows[0].Values.ContainsKey(member)))
        {
            fallback = member.Fixed?.Raw as int?;
            if (fallback is null && required && rows.Count > 0)
            {
                Report(DiagnosticDescriptors.NotConstant, member.FixedLocation ?? Where.Member(member.Symbol, _ct), "Epochs",
                    "the last or all epochs are evaluated, which depends on the number of epochs");
            }
        }

        return rows.Select(row => member is not null && row.Values.TryGetValue(member, out Value? v) ? v.Raw as int? : fallback).ToArray();
    }
}
