using System.Reflection;
using ExperimentDsl.Runtime.Cli.Options;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace ExperimentDsl.Runtime.Cli;

/// <summary>
/// Help that lists only the options a verb uses: the verbs that work on a scaffolded experiment take
/// the environment from the directory, so its options (accepted there only to refuse a contradicting
/// value) are left out of their help.
/// </summary>
internal sealed class VerbHelp(ICommandAppSettings settings, IReadOnlySet<string> recordedEnvironmentVerbs) : HelpProvider(settings)
{
    // The long names of the options declared by EnvironmentOptions itself.
    private static readonly HashSet<string> EnvironmentOptionNames =
    [
        .. typeof(EnvironmentOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Select(p => p.GetCustomAttribute<CommandOptionAttribute>())
            .OfType<CommandOptionAttribute>()
            .SelectMany(a => a.LongNames),
    ];

    public override IEnumerable<IRenderable> GetOptions(ICommandModel model, ICommandInfo? command) =>
        base.GetOptions(model, command is not null && recordedEnvironmentVerbs.Contains(command.Name) ? new WithoutEnvironment(command) : command);

    private sealed class WithoutEnvironment(ICommandInfo command) : ICommandInfo
    {
        public string Name => command.Name;

        public string? Description => command.Description;

        public bool IsBranch => command.IsBranch;

        public bool IsDefaultCommand => command.IsDefaultCommand;

        public bool IsHidden => command.IsHidden;

        public IReadOnlyList<ICommandParameter> Parameters { get; } =
            [.. command.Parameters.Where(p => p is not ICommandOption option || !option.LongNames.Any(EnvironmentOptionNames.Contains))];

        public ICommandInfo? Parent => command.Parent;

        public IReadOnlyList<ICommandInfo> Commands => command.Commands;

        public ICommandInfo? DefaultCommand => command.DefaultCommand;

        public IReadOnlyList<string[]> Examples => command.Examples;
    }
}
