namespace ExperimentDsl.Runtime.Settings;

/// <summary>
/// One layer of environment settings (command line, local settings file, claude.local.md): only the
/// values it sets; <see langword="null"/> leaves the value of the layer below.
/// </summary>
public sealed record PartialEnvironment(
    string? OutputRoot = null,
    string? ModelsDir = null,
    string? WandbProject = null,
    string? CondaEnv = null,
    string? Venv = null,
    IReadOnlyList<string>? Modules = null,
    string? Account = null,
    string? Partition = null,
    string? Constraint = null,
    string? MailUser = null,
    string? ScratchDir = null)
{
    /// <summary>A layer that sets nothing.</summary>
    public static PartialEnvironment Empty { get; } = new();

    /// <summary>The baseline with this layer's values on top.</summary>
    public EnvironmentSettings ApplyTo(EnvironmentSettings baseline) => baseline with
    {
        OutputRoot = OutputRoot ?? baseline.OutputRoot,
        ModelsDir = ModelsDir ?? baseline.ModelsDir,
        WandbProject = WandbProject ?? baseline.WandbProject,
        CondaEnv = Venv is not null && CondaEnv is null ? null : CondaEnv ?? baseline.CondaEnv,
        Venv = Venv ?? (CondaEnv is not null ? null : baseline.Venv),
        Modules = Modules ?? baseline.Modules,
        Account = Account ?? baseline.Account,
        Partition = Partition ?? baseline.Partition,
        Constraint = Constraint ?? baseline.Constraint,
        MailUser = MailUser ?? baseline.MailUser,
        ScratchDir = ScratchDir ?? baseline.ScratchDir,
    };
}
