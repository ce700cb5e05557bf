using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using ExperimentDsl.Generators.Diagnostics;
using ExperimentDsl.Generators.Formatting;
using ExperimentDsl.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ExperimentDsl.Generators.Extraction;

/// <summary>Eval-only runs, vis labels, evaluation decoding settings and per-task prompts.</summary>
internal sealed partial class ExperimentModelBuilder
{
    /// <summary>The well-formed [EvalOnly]s and [VisLabel]s read, for locating expansion problems.</summary>
    private readonly List<AttributeData> _evalOnlyAttributes = [];
    private readonly List<AttributeData> _visLabelAttributes = [];

    private List<EvalOnlyModel> ReadEvalOnlyRuns()
    {
        var runs = new List<EvalOnlyModel>();
        foreach (AttributeData attribute in TypeAttributes(KnownNames.EvalOnlyAttribute))
        {
            ImmutableArray<TypedConstant> args = attribute.ConstructorArguments;
            if (attribute.AttributeConstructor is null || args.Length != 3 || args.Any(a => a.Kind == TypedConstantKind.Error))
            {
                Broken();
                continue;
            }

            string? name = args[0].Value as string;
            string? path = args[2].Value as string;
            Value? model = args[1].Type is INamedTypeSymbol enumType ? ValueShape.Of(enumType).Convert(args[1].Value, args[1].Type) : null;
            bool valid = true;
            if (InputRules.RunNameProblem(name) is string problem)
            {
                Report(DiagnosticDescriptors.UnsafeEvalOnlyName, Where.Argument(attribute, 0, _ct), name ?? "null", problem);
                valid = false;
            }

            if (model is null)
            {
                Report(DiagnosticDescriptors.SweepValueNotConvertible, Where.Argument(attribute, 1, _ct), "EvalOnly", args[1].ToCSharpString(), "a model of the catalogue");
                valid = false;
            }

            if (CheckpointPathProblem(path) is string pathProblem)
            {
                Report(DiagnosticDescriptors.InvalidCheckpointPath, Where.Argument(attribute, 2, _ct), name ?? "null", args[2].ToCSharpString(), pathProblem);
                valid = false;
            }

            if (valid)
            {
                runs.Add(new EvalOnlyModel(name!, model!.Literal, path!));
                _evalOnlyAttributes.Add(attribute);
            }
        }

        return runs;
    }

    // The path reaches the eval script's MODEL_PATH (shell-quoted) and inspect's model config (JSON):
    // any text survives those, but a path that names nothing or spans lines cannot be a directory we mean.
    private static string? CheckpointPathProblem(string? path)
    {
        if (path is null || path.Trim().Length == 0)
        {
            return "is empty";
        }

        if (path.Any(char.IsControl))
        {
            return "contains a control character (e.g. a line break)";
        }

        return path != path.Trim() ? "starts or ends with whitespace" : null;
    }

    private List<VisLabelModel> ReadVisLabels()
    {
        var labels = new List<VisLabelModel>();
        var labelled = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (AttributeData attribute in TypeAttributes(KnownNames.VisLabelAttribute))
        {
            ImmutableArray<TypedConstant> args = attribute.ConstructorArguments;
            if (attribute.AttributeConstructor is null || args.Length != 2 || args.Any(a => a.Kind == TypedConstantKind.Error))
            {
                Broken();
                continue;
            }

            // The run is checked against the expanded names (EXD030).
            string run = args[0].Value as string ?? "null";
            string? label = args[1].Value as string;
            if (VisLabelProblem(label) is string problem)
            {
                Report(DiagnosticDescriptors.InvalidVisLabel, Where.Argument(attribute, 1, _ct), run, args[1].ToCSharpString(), problem);
                continue;
            }

            if (labelled.TryGetValue(run, out string? earlier))
            {
                Report(DiagnosticDescriptors.DuplicateVisLabel, Where.Argument(attribute, 0, _ct), run, Literal.Of(earlier));
                continue;
            }

            labelled.Add(run, label!);
            labels.Add(new VisLabelModel(run, label!));
            _visLabelAttributes.Add(attribute);
        }

        return labels;
    }

    // The label titles plot legends and table rows and, in cruijff_kit's tasks, extends the task name.
    private static string? VisLabelProblem(string? label)
    {
        if (label is null || label.Trim().Length == 0)
        {
            return "is empty (the run would be shown without a name)";
        }

        return label.Any(char.IsControl) ? "contains a control character (e.g. a line break)" : null;
    }

    private EvaluationModel ReadEvaluation()
    {
        AttributeData? attribute = TypeAttributes(KnownNames.EvaluationAttribute).FirstOrDefault();
        if (attribute is null)
        {
            return EvaluationModel.None;
        }

        if (attribute.AttributeConstructor is null || attribute.NamedArguments.Any(a => a.Value.Kind == TypedConstantKind.Error))
        {
            Broken();
            return EvaluationModel.None;
        }

        double? temperature = Named(attribute, KnownNames.EvaluationMembers.Temperature)?.Value is double t ? t : null;
        bool? doSample = Named(attribute, KnownNames.EvaluationMembers.DoSample)?.Value is bool d ? d : null;
        int? seed = Named(attribute, KnownNames.EvaluationMembers.Seed)?.Value is int s ? s : null;
        int? maxTokens = Named(attribute, KnownNames.EvaluationMembers.MaxTokens)?.Value is int m ? m : null;
        int? maxConnections = Named(attribute, KnownNames.EvaluationMembers.MaxConnections)?.Value is int c ? c : null;

        if (temperature is double temp && !(temp > 0 && !double.IsInfinity(temp)))
        {
            Report(DiagnosticDescriptors.InvalidEvaluationSetting, Where.Named(attribute, "Temperature", null, _ct), "Temperature", Number(temp),
                "the temperature must be a positive number; leave it out for the task's default, or use a small value such as 1e-7 for near-greedy decoding");
        }

        if (doSample == true && temperature is null)
        {
            Report(DiagnosticDescriptors.InvalidEvaluationSetting, Where.Named(attribute, "DoSample", null, _ct), "DoSample", "true",
                "sampling needs a temperature; add a positive Temperature, e.g. Temperature = 0.7");
        }

        CheckPositive(attribute, "MaxTokens", maxTokens, "at least one token must be generated");
        CheckPositive(attribute, "MaxConnections", maxConnections, "at least one sample must run at a time");

        return new EvaluationModel(
            temperature is double tt ? Literal.Of(tt) : null,
            doSample is bool dd ? Literal.Of(dd) : null,
            seed is int ss ? Literal.Of(ss) : null,
            maxTokens is int mm ? Literal.Of(mm) : null,
            maxConnections is int cc ? Literal.Of(cc) : null);
    }

    private void CheckPositive(AttributeData attribute, string name, int? value, string why)
    {
        if (value is int v && v <= 0)
        {
            Report(DiagnosticDescriptors.InvalidEvaluationSetting, Where.Named(attribute, name, null, _ct), name, Literal.Of(v),
                why + "; give a positive number or leave it out");
        }
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// A task's Prompt: one <c>{input}</c> (EXD034, the run template's rule) and no other brace
    /// (EXD035: cruijff_kit's tasks fill it with Python's <c>str.format</c>). Returns whether it is valid.
    /// </summary>
    private bool CheckTaskPrompt(AttributeData attribute, string task, string prompt)
    {
        string literal = Literal.Of(prompt);
        Microsoft.CodeAnalysis.Location? where = Where.Named(attribute, "Prompt", null, _ct);
        int input = prompt.IndexOf("{input}", StringComparison.Ordinal);
        if (input < 0)
        {
            Report(DiagnosticDescriptors.TaskPromptInputCount, where, task, literal, "does not contain {input}");
            return false;
        }

        int after = input + "{input}".Length;
        if (prompt.IndexOf("{input}", after, StringComparison.Ordinal) >= 0)
        {
            Report(DiagnosticDescriptors.TaskPromptInputCount, where, task, literal, "contains {input} more than once");
            return false;
        }

        string rest = prompt.Substring(0, input) + prompt.Substring(after);
        if (rest.Replace("{{", string.Empty).Replace("}}", string.Empty).IndexOfAny(['{', '}']) >= 0)
        {
            Report(DiagnosticDescriptors.TaskPromptBraces, where, task, literal);
            return false;
        }

        return true;
    }
}
