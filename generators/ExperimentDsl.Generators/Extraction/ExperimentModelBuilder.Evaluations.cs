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
    /// <summary>The well-formed [Control]s, [EvalTask]s and the [EvalEpochs] read, for locating expansion problems.</summary>
    private readonly List<AttributeData> _controlAttributes = [];
    private readonly List<AttributeData> _taskAttributes = [];
    private AttributeData? _evalEpochsAttribute;

    private List<ControlSpec> ReadControls()
    {
        var controls = new List<ControlSpec>();
        foreach (AttributeData attribute in TypeAttributes(KnownNames.ControlAttribute))
        {
            if (attribute.AttributeConstructor is null || attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error))
            {
                Broken();
                continue;
            }

            // Without a model it evaluates the experiment's: known once the runs are (RunExpansion).
            Value? model = null;
            if (attribute.ConstructorArguments.Length > 0)
            {
                TypedConstant argument = attribute.ConstructorArguments[0];
                model = argument.Type is INamedTypeSymbol enumType ? ValueShape.Of(enumType).Convert(argument.Value, argument.Type) : null;
                if (model is null)
                {
                    Report(DiagnosticDescriptors.SweepValueNotConvertible, Where.Argument(attribute, 0, _ct), "Control", argument.ToCSharpString(), "a model of the catalogue");
                    continue;
                }
            }

            controls.Add(new ControlSpec(model));
            _controlAttributes.Add(attribute);
        }

        return controls;
    }

    private List<TaskSpec> ReadTasks()
    {
        var tasks = new List<TaskSpec>();
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
            if (InputRules.DirectoryNameProblem(name) is string problem)
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

            string? dataset = Named(attribute, KnownNames.EvalTaskMembers.Dataset)?.Value as string;
            string? description = Named(attribute, KnownNames.EvalTaskMembers.Description)?.Value as string;
            string? prompt = Named(attribute, KnownNames.EvalTaskMembers.Prompt)?.Value as string;
            string? systemPrompt = Named(attribute, KnownNames.EvalTaskMembers.SystemPrompt)?.Value as string;
            if (prompt is not null && !CheckTaskPrompt(attribute, name, prompt))
            {
                continue;
            }
            bool controls = Named(attribute, KnownNames.EvalTaskMembers.Controls)?.Value as bool? ?? true;

            EpochChoiceSpec? epochs = null;
            if (Named(attribute, KnownNames.EvalTaskMembers.Epochs) is { Kind: TypedConstantKind.Array, IsNull: false } epochArray && epochArray.Values.Length > 0)
            {
                epochs = new EpochChoiceSpec(false, false, epochArray.Values.Select(v => v.Value is int e ? e : 0).ToEquatableArray());
            }

            // Checked against the run names by RunExpansion (EXD014).
            EquatableArray<string>? runs = null;
            if (Named(attribute, KnownNames.EvalTaskMembers.Runs) is { Kind: TypedConstantKind.Array, IsNull: false } runArray && runArray.Values.Length > 0)
            {
                runs = runArray.Values.Select(v => v.Value as string ?? "null").ToEquatableArray();
            }

            tasks.Add(new TaskSpec(new TaskModel(name, script, dataset, description, prompt, systemPrompt), epochs, runs, controls));
            _taskAttributes.Add(attribute);
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

    private EpochChoiceSpec? ReadEvalEpochs()
    {
        AttributeData? attribute = TypeAttributes(KnownNames.EvalEpochsAttribute).FirstOrDefault();
        _evalEpochsAttribute = attribute;
        if (attribute is null)
        {
            return new EpochChoiceSpec(false, true, EquatableArray<int>.Empty);
        }

        if (attribute.AttributeConstructor is null || attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Kind == TypedConstantKind.Error)
        {
            Broken();
            return null;
        }

        TypedConstant argument = attribute.ConstructorArguments[0];
        if (argument.Kind == TypedConstantKind.Array)
        {
            EquatableArray<int> list = argument.IsNull ? EquatableArray<int>.Empty : argument.Values.Select(v => v.Value is int e ? e : 0).ToEquatableArray();
            return new EpochChoiceSpec(false, false, list);
        }

        // EpochSelection: Last = 0, All = 1, List = 2 (a list without epochs evaluates nothing).
        return argument.Value switch
        {
            0 => new EpochChoiceSpec(false, true, EquatableArray<int>.Empty),
            1 => new EpochChoiceSpec(true, false, EquatableArray<int>.Empty),
            _ => new EpochChoiceSpec(false, false, EquatableArray<int>.Empty),
        };
    }
}
