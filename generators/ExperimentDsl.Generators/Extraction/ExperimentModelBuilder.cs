using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System;
using ExperimentDsl.Generators.Catalog;
using ExperimentDsl.Generators.Diagnostics;
using ExperimentDsl.Generators.Models;
using ExperimentDsl.Generators.Planning;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis;

namespace ExperimentDsl.Generators.Extraction;

/// <summary>
/// The one place that interprets the DSL declaration: turns an <c>[Experiment]</c> record into a
/// compact <see cref="ExperimentSpec"/> (<see cref="Describe(INamedTypeSymbol, AttributeData, SemanticModel, CancellationToken)"/>,
/// the generator's transform), which <see cref="RunExpansion"/> expands into the runs. The analyzer
/// calls <see cref="Build"/>, which does both with a diagnostics list and locates what the expansion finds.
/// Malformed (half-typed) input never throws: it yields null, with or without a diagnostic.
/// </summary>
internal sealed partial class ExperimentModelBuilder : IExpansionReporter
{
    /// <summary>Above this many runs the builder refuses to enumerate them (EXD022).</summary>
    public const int RunCeiling = 100_000;

    private readonly INamedTypeSymbol _type;
    private readonly AttributeData _experiment;
    private readonly SemanticModel _semanticModel;
    private readonly List<Diagnostic>? _diagnostics;
    private readonly int _maxRuns;
    private readonly CancellationToken _ct;
    private readonly List<MemberInfo> _members = [];
    private readonly Dictionary<string, MemberInfo> _byName = new(StringComparer.Ordinal);
    private bool _invalid;

    /// <summary>Diagnostics held back until the run names are checked (see <see cref="Describe()"/>).</summary>
    private List<Diagnostic>? _deferred;

    private ExperimentModelBuilder(INamedTypeSymbol type, AttributeData experiment, SemanticModel semanticModel, List<Diagnostic>? diagnostics, int maxRuns, CancellationToken ct)
    {
        _type = type;
        _experiment = experiment;
        _semanticModel = semanticModel;
        _diagnostics = diagnostics;
        _maxRuns = maxRuns;
        _ct = ct;
    }

    /// <summary>Builds the expanded model, or returns null when the experiment is invalid (the analyzer's path).</summary>
    /// <param name="type">The record carrying <c>[Experiment]</c>.</param>
    /// <param name="experiment">The <c>[Experiment]</c> attribute.</param>
    /// <param name="semanticModel">Semantic model of the tree that declares the attribute; initializers are read from it.</param>
    /// <param name="diagnostics">Receives diagnostics (analyzer), or null.</param>
    /// <param name="maxRuns">The EXD020 threshold.</param>
    /// <param name="ct">Cancellation.</param>
    public static ExperimentModel? Build(
        INamedTypeSymbol type,
        AttributeData experiment,
        SemanticModel semanticModel,
        List<Diagnostic>? diagnostics,
        int maxRuns,
        CancellationToken ct) =>
        new ExperimentModelBuilder(type, experiment, semanticModel, diagnostics, maxRuns, ct).Build();

    /// <summary>
    /// The compact model the generator caches, or null when the declaration alone shows the experiment
    /// is invalid. Problems only the runs show (e.g. colliding names) are found by <see cref="RunExpansion"/>.
    /// </summary>
    public static ExperimentSpec? Describe(INamedTypeSymbol type, AttributeData experiment, SemanticModel semanticModel, CancellationToken ct)
    {
        var builder = new ExperimentModelBuilder(type, experiment, semanticModel, diagnostics: null, int.MaxValue, ct);
        ExperimentSpec? spec = builder.Describe();
        return builder._invalid ? null : spec;
    }

    private ExperimentModel? Build()
    {
        ExperimentSpec? spec = Describe();
        if (spec is null)
        {
            return null;
        }

        ExperimentModel? model = RunExpansion.Expand(spec, _maxRuns, this, _ct);
        return _invalid ? null : model;
    }

    /// <summary>
    /// Reads and checks the declaration. Returns null where the expansion must not run; a spec with
    /// <see cref="_invalid"/> set still goes to the analyzer's expansion, which reports the rest.
    /// </summary>
    private ExperimentSpec? Describe()
    {
        if (!IsFirstExperimentAttribute())
        {
            // [Experiment] on two partial declarations: the compiler reports CS0579; one hint name must not be added twice.
            return null;
        }

        CheckTypeShape();
        string? experimentName = ReadExperimentName();
        ReadMembers();
        ReadSweeps();
        CheckFixedSettings();
        Grid? grid = PlanGrid();
        if (grid is null || experimentName is null)
        {
            return null;
        }

        if (!ReadRunNamePattern(grid.Dimensions, out string? pattern, out EquatableArray<NamePart> nameParts))
        {
            return null;
        }

        // Problems of controls and tasks come after those of the names, which need the runs: held back until then.
        _deferred = [];
        List<ControlSpec> controls = ReadControls();
        List<TaskSpec> tasks = ReadTasks();
        EpochChoiceSpec? evalEpochs = ReadEvalEpochs();
        List<EvalOnlyModel> evalOnlyRuns = ReadEvalOnlyRuns();
        List<VisLabelModel> visLabels = ReadVisLabels();
        EvaluationModel evaluation = ReadEvaluation();

        return new ExperimentSpec(
            MetadataNames.Of(_type),
            _type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : string.Empty,
            ContainingTypeDeclarations().ToEquatableArray(),
            Formatting.Literal.Identifier(_type.Name),
            _type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            _type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat),
            experimentName,
            BaseDirectory(),
            _members.Where(m => m.Setting is not null).Select(m => Formatting.Literal.Identifier(m.Name)).ToEquatableArray(),
            grid.Dimensions.Select(d => new DimensionSpec(
                d.Name,
                Formatting.Literal.Identifier(d.Name),
                d.Prefix,
                d.Shape.IsModel,
                d.Shape.IsModel && d.Setting is not null,
                d.IsAxis ? null : d.Fixed,
                d.Sweep?.ToEquatableArray() ?? EquatableArray<Value>.Empty)).ToEquatableArray(),
            grid.Units,
            grid.Exclusions,
            grid.ExtraRuns,
            pattern,
            nameParts,
            SettingMember(SettingCatalog.Model.Name, grid.Dimensions),
            SettingMember(SettingCatalog.Epochs.Name, grid.Dimensions),
            controls.ToEquatableArray(),
            tasks.ToEquatableArray(),
            evalEpochs,
            evalOnlyRuns.ToEquatableArray(),
            visLabels.ToEquatableArray(),
            evaluation,
            _members.Where(m => m.Setting is not null && !grid.Dimensions.Contains(m) && m.Fixed is not null)
                .Select(m => new FixedSetting(m.Name, m.Fixed!)).ToEquatableArray());
    }

    private SettingMemberSpec? SettingMember(string name, List<MemberInfo> dimensions) =>
        _byName.TryGetValue(name, out MemberInfo? member) && member.Setting is not null
            ? new SettingMemberSpec(dimensions.IndexOf(member), member.Fixed)
            : null;

    private bool IsFirstExperimentAttribute()
    {
        AttributeData? first = _type.GetAttributes().FirstOrDefault(a => MetadataNames.Is(a, KnownNames.ExperimentAttribute));
        SyntaxReference? mine = _experiment.ApplicationSyntaxReference;
        SyntaxReference? theirs = first?.ApplicationSyntaxReference;
        return mine is not null && theirs is not null && mine.SyntaxTree == theirs.SyntaxTree && mine.Span == theirs.Span;
    }

    private void Report(DiagnosticDescriptor descriptor, Location? location, params object?[] args)
    {
        if (descriptor.DefaultSeverity == DiagnosticSeverity.Error)
        {
            _invalid = true;
        }

        if (_diagnostics is not null)
        {
            (_deferred ?? _diagnostics).Add(Diagnostic.Create(descriptor, location, args));
        }
    }

    /// <inheritdoc />
    void IExpansionReporter.Report(ExpansionProblem problem)
    {
        Location? where = problem.Site switch
        {
            ProblemSite.Naming => _namingLocation,
            ProblemSite.Experiment => Where.Attribute(_experiment, _ct),
            ProblemSite.Member when _byName.TryGetValue(problem.Member!, out MemberInfo? member) => member.FixedLocation ?? Where.Member(member.Symbol, _ct),
            ProblemSite.Control => Where.Attribute(_controlAttributes[problem.Index], _ct),
            ProblemSite.TaskRuns => Where.Named(_taskAttributes[problem.Index], KnownNames.EvalTaskMembers.Runs, problem.Element, _ct),
            ProblemSite.TaskEpochs => Where.Named(_taskAttributes[problem.Index], KnownNames.EvalTaskMembers.Epochs, problem.Element, _ct),
            ProblemSite.EvalEpochs => Where.Argument(_evalEpochsAttribute!, problem.Element, _ct),
            ProblemSite.EvalOnly => Where.Argument(_evalOnlyAttributes[problem.Index], 0, _ct),
            ProblemSite.VisLabel => Where.Argument(_visLabelAttributes[problem.Index], 0, _ct),
            _ => null,
        };

        if (problem.Descriptor.DefaultSeverity == DiagnosticSeverity.Error)
        {
            _invalid = true;
        }

        _diagnostics?.Add(Diagnostic.Create(problem.Descriptor, where, problem.Args));
    }

    /// <inheritdoc />
    void IExpansionReporter.NamesChecked()
    {
        if (_deferred is not null)
        {
            _diagnostics?.AddRange(_deferred);
            _deferred = null;
        }
    }

    /// <summary>Input the compiler already rejects: no diagnostic of ours, no output.</summary>
    private void Broken() => _invalid = true;

    private void CheckTypeShape()
    {
        Location? where = Where.Type(_type, _experiment, _ct);
        string display = _type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
        if (_type.TypeKind != TypeKind.Class || !_type.IsRecord)
        {
            Report(DiagnosticDescriptors.NotAnExperimentType, where, display, "it must be a record class (declare it 'partial record')");
            return;
        }

        if (_type.IsGenericType || _type.IsAbstract || _type.IsStatic)
        {
            Report(DiagnosticDescriptors.NotAnExperimentType, where, display, "it must not be generic, abstract or static");
        }

        if (!_type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility != Accessibility.Private))
        {
            Report(DiagnosticDescriptors.NotAnExperimentType, where, display, "it needs a parameterless constructor (positional records cannot be swept)");
        }

        if (!IsPartial(_type))
        {
            Report(DiagnosticDescriptors.NotPartial, where, display);
        }

        for (INamedTypeSymbol? t = _type; t is not null; t = t.ContainingType)
        {
            if (t.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
            {
                Report(DiagnosticDescriptors.NotAnExperimentType, where, display, "it and its containing types must be public or internal, so the experiment catalogue can list it");
                break;
            }
        }

        for (INamedTypeSymbol? outer = _type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            string outerDisplay = outer.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
            if (outer.IsGenericType)
            {
                Report(DiagnosticDescriptors.NotAnExperimentType, where, display, "its containing type '" + outerDisplay + "' is generic");
            }
            else if (!IsPartial(outer))
            {
                Report(DiagnosticDescriptors.NotPartial, outer.Locations.FirstOrDefault() ?? where, outerDisplay);
            }
        }
    }

    private bool IsPartial(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences.Length > 0
        && type.DeclaringSyntaxReferences.All(r => r.GetSyntax(_ct) is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));

    private IEnumerable<string> ContainingTypeDeclarations()
    {
        var chain = new List<string>();
        for (INamedTypeSymbol? outer = _type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            string keyword = outer switch
            {
                { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
                { IsRecord: true } => "record",
                { TypeKind: TypeKind.Struct } => "struct",
                { TypeKind: TypeKind.Interface } => "interface",
                _ => "class",
            };
            chain.Insert(0, "partial " + keyword + " " + Formatting.Literal.Identifier(outer.Name));
        }

        return chain;
    }

    private string? ReadExperimentName()
    {
        ImmutableArray<TypedConstant> args = _experiment.ConstructorArguments;
        if (_experiment.AttributeConstructor is null || args.Length != 1 || args[0].Kind == TypedConstantKind.Error)
        {
            Broken();
            return null;
        }

        string? name = args[0].Value as string;
        if (InputRules.DirectoryNameProblem(name) is string problem)
        {
            Report(DiagnosticDescriptors.UnsafeExperimentName, Where.Argument(_experiment, 0, _ct), name ?? "null", problem);
            return null;
        }

        return name;
    }

    private string? BaseDirectory()
    {
        string? path = _experiment.ApplicationSyntaxReference?.SyntaxTree.FilePath;
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        string normalized = path!.Replace('\\', '/');
        int slash = normalized.LastIndexOf('/');
        return slash switch
        {
            < 0 => null,
            0 => "/",
            _ => normalized.Substring(0, slash),
        };
    }

    // Only the experiment record's own properties are read; a setting or [Sweep] on a base record would
    // silently not apply, so it is reported (EXD024) instead.
    private void ReportBaseMembers()
    {
        for (INamedTypeSymbol? baseType = _type.BaseType; baseType is not null && baseType.SpecialType != SpecialType.System_Object; baseType = baseType.BaseType)
        {
            foreach (IPropertySymbol property in baseType.GetMembers().OfType<IPropertySymbol>())
            {
                if (property.IsImplicitlyDeclared || property.IsStatic || property.Name == "EqualityContract" || _type.GetMembers(property.Name).Length > 0)
                {
                    continue;
                }

                bool swept = property.GetAttributes().Any(a => MetadataNames.Is(a, KnownNames.SweepAttribute));
                if (SettingCatalog.Find(property.Name) is not null || swept)
                {
                    Report(DiagnosticDescriptors.BaseRecordMemberIgnored, Where.Type(_type, _experiment, _ct), property.Name, baseType.Name);
                }
            }
        }
    }

    private void ReadMembers()
    {
        ReportBaseMembers();
        int order = 0;
        foreach (ISymbol symbol in _type.GetMembers())
        {
            _ct.ThrowIfCancellationRequested();
            if (symbol is not IPropertySymbol property || property.IsImplicitlyDeclared || property.IsIndexer || property.IsStatic
                || property.Name == "EqualityContract" || _byName.ContainsKey(property.Name))
            {
                continue;
            }

            var member = new MemberInfo(property, order++, ValueShape.Of(property.Type));
            _members.Add(member);
            _byName.Add(member.Name, member);

            if (SettingCatalog.Find(member.Name) is Setting setting)
            {
                // string? would assign a maybe-null value to a non-null setting (a nullable warning in generated code).
                bool nullableString = member.Shape.Kind == SettingKind.String && property.NullableAnnotation == NullableAnnotation.Annotated;
                if (member.Shape.Kind == setting.Kind && member.Shape.EnumMetadataName == setting.EnumType && !nullableString)
                {
                    member.Setting = setting;
                }
                else if (property.Type.TypeKind != TypeKind.Error)
                {
                    Report(DiagnosticDescriptors.SettingWrongType, Where.Member(property, _ct), member.Name, setting.TypeDisplay,
                        nullableString ? "string?" : member.Shape.Display);
                }
                else
                {
                    Broken();
                }
            }

            ReadFixedValue(member);
        }
    }

    private void ReadFixedValue(MemberInfo member)
    {
        foreach (SyntaxReference reference in member.Symbol.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(_ct) is not PropertyDeclarationSyntax declaration)
            {
                continue;
            }

            if (declaration.Initializer is { } initializer)
            {
                member.FixedLocation = initializer.Value.GetLocation();

                // Only the tree of [Experiment] has a semantic model here; initializers elsewhere count as unknown.
                if (declaration.SyntaxTree == _semanticModel.SyntaxTree)
                {
                    Optional<object?> constant = _semanticModel.GetConstantValue(initializer.Value, _ct);
                    if (constant.HasValue)
                    {
                        ITypeSymbol? sourceType = _semanticModel.GetTypeInfo(initializer.Value, _ct).Type;
                        member.Fixed = member.Shape.Convert(constant.Value, sourceType ?? member.Symbol.Type);

                        // An enum constant that is no member (e.g. (Model)77) has no name and, for Model, no catalogue entry.
                        if (member.Fixed is null && member.Shape.EnumType is not null && constant.Value is not null)
                        {
                            Report(DiagnosticDescriptors.SweepValueNotConvertible, member.FixedLocation, member.Name, initializer.Value.ToString(), member.Shape.Display);
                        }
                    }
                }

                return;
            }

            bool isAuto = declaration.ExpressionBody is null
                && declaration.AccessorList is { } accessors
                && accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null);
            member.FixedLocation = declaration.Identifier.GetLocation();
            member.Fixed = isAuto ? member.Shape.DefaultValue() : null;
            return;
        }
    }

    private void ReadSweeps()
    {
        foreach (ISymbol symbol in _type.GetMembers())
        {
            _ct.ThrowIfCancellationRequested();
            if (symbol is not IPropertySymbol property)
            {
                continue;
            }

            foreach (AttributeData attribute in property.GetAttributes())
            {
                if (MetadataNames.Is(attribute, KnownNames.SweepAttribute))
                {
                    ReadSweep(property, attribute);
                }
            }
        }
    }

    private void ReadSweep(IPropertySymbol property, AttributeData attribute)
    {
        if (attribute.AttributeConstructor is null || attribute.ConstructorArguments.Length != 1)
        {
            Broken();
            return;
        }

        Location? where = Where.Attribute(attribute, _ct);
        if (property.IsStatic || !_byName.TryGetValue(property.Name, out MemberInfo? member) || !SymbolEqualityComparer.Default.Equals(member.Symbol, property))
        {
            Report(DiagnosticDescriptors.UnsupportedSweepMember, where, property.Name, "it is static");
            return;
        }

        // Even a rejected [Sweep] means the fixed value does not matter: no range checks on it.
        member.SweepAttribute = attribute;
        if (property.Type.TypeKind == TypeKind.Error)
        {
            Broken();
            return;
        }

        if (member.Shape.Kind == SettingKind.Unsupported)
        {
            Report(DiagnosticDescriptors.UnsupportedSweepMember, where, property.Name, "its type " + member.Shape.Display + " is not int, long, double, bool, string or an enum");
            return;
        }

        if (!member.IsSettable)
        {
            Report(DiagnosticDescriptors.UnsupportedSweepMember, where, property.Name, "it has no init or set accessor");
            return;
        }

        TypedConstant array = attribute.ConstructorArguments[0];
        if (array.Kind == TypedConstantKind.Error)
        {
            Broken();
            return;
        }

        if (array.Kind != TypedConstantKind.Array || array.IsNull || array.Values.Length == 0)
        {
            Report(DiagnosticDescriptors.EmptySweep, where, property.Name);
            return;
        }

        var values = new List<Value>();
        for (int i = 0; i < array.Values.Length; i++)
        {
            Value? value = ConvertArgument(array.Values[i], member, Where.Argument(attribute, i, _ct));
            if (value is null)
            {
                continue;
            }

            CheckRange(member, value, Where.Argument(attribute, i, _ct));
            values.Add(value);
        }

        if (values.Count == array.Values.Length)
        {
            member.Sweep = values;
        }
    }

    /// <summary>Converts an attribute value to the member's type, reporting EXD002 when it does not fit.</summary>
    private Value? ConvertArgument(TypedConstant constant, MemberInfo member, Location? where)
    {
        if (constant.Kind == TypedConstantKind.Error)
        {
            Broken();
            return null;
        }

        Value? value = constant.Kind is TypedConstantKind.Primitive or TypedConstantKind.Enum && !constant.IsNull
            ? member.Shape.Convert(constant.Value, constant.Type)
            : null;
        if (value is null)
        {
            Report(DiagnosticDescriptors.SweepValueNotConvertible, where, member.Name, constant.ToCSharpString(), member.Shape.Display);
        }

        return value;
    }

    private void CheckFixedSettings()
    {
        foreach (MemberInfo member in _members)
        {
            if (member.Setting is not null && member.SweepAttribute is null && member.Fixed is { } value)
            {
                CheckRange(member, value, member.FixedLocation ?? Where.Member(member.Symbol, _ct));
            }
        }
    }

    /// <summary>Range rules of the settings that have them (EXD018, EXD019).</summary>
    private void CheckRange(MemberInfo member, Value value, Location? where)
    {
        if (member.Setting is null)
        {
            return;
        }

        string? problem = InputRules.SettingProblem(member.Name, value.Raw);
        if (problem is not null)
        {
            Report(DiagnosticDescriptors.ValueOutOfRange, where, member.Name, value.Text, problem);
        }

        if (member.Setting.TextRule == TextRule.InputPlaceholder && value.Raw is string template)
        {
            int input = template.IndexOf("{input}", StringComparison.Ordinal);
            if (input < 0)
            {
                Report(DiagnosticDescriptors.PromptTemplateWithoutInput, where, value.Literal);
            }
            else if (template.IndexOf("{input}", input + "{input}".Length, StringComparison.Ordinal) >= 0)
            {
                Report(DiagnosticDescriptors.PromptTemplateInputTwice, where, value.Literal);
            }
        }

        CheckTorchtuneCanReceive(member, value, where);
    }

    /// <summary>
    /// EXD050: a string that lands in finetune.yaml as exactly '???' (OmegaConf's missing-value marker)
    /// stops torchtune when it reads the key. Every other text is escaped by the runtime.
    /// </summary>
    private void CheckTorchtuneCanReceive(MemberInfo member, Value value, Location? where)
    {
        if (value.Raw is not string text || member.Setting is not { } setting)
        {
            return;
        }

        // Where the text lands in finetune.yaml follows from its rule: a time limit never does.
        TextRule rule = setting.TextRule;
        string? landing = rule switch
        {
            TextRule.None => text,
            TextRule.DatasetFile => System.IO.Path.GetFileNameWithoutExtension(text),
            _ => null,
        };
        string field = rule == TextRule.DatasetFile ? "dataset_label (the file name of " + member.Name + ")" : member.Name;
        int at = text.IndexOf("{input}", StringComparison.Ordinal);
        if (rule == TextRule.InputPlaceholder && at >= 0)
        {
            landing = text.Substring(0, at) == MissingValueMarker || text.Substring(at + "{input}".Length) == MissingValueMarker ? MissingValueMarker : null;
            field = "PromptTemplate (the text before or after {input})";
        }

        if (landing == MissingValueMarker)
        {
            Report(DiagnosticDescriptors.ValueTorchtuneCannotReceive, where, field, value.Literal,
                "a value of exactly '???' is OmegaConf's missing-value marker, so torchtune would stop with MissingMandatoryValue when it reads it");
        }
    }

    private const string MissingValueMarker = "???";

    private IEnumerable<AttributeData> TypeAttributes(string metadataName) =>
        _type.GetAttributes().Where(a => MetadataNames.Is(a, metadataName));
}
