namespace ExperimentDsl.Runtime.Settings;

/// <summary>
/// Environment settings from one source (command line, local settings file, cruijff_kit's
/// <c>claude.local.md</c>): only the values that source sets; <see langword="null"/> leaves a value alone.
/// </summary>
/// <param name="OutputRoot">Root of checkpoints.</param>
/// <param name="ModelsDir">Directory of the base models.</param>
/// <param name="WandbProject">Weights and Biases project.</param>
/// <param name="CondaEnv">Conda environment.</param>
/// <param name="Venv">Python virtual environment directory.</param>
/// <param name="Modules">Environment modules to load.</param>
/// <param name="Account">SLURM account.</param>
/// <param name="Partition">SLURM partition.</param>
/// <param name="Constraint">SLURM constraint.</param>
/// <param name="MailUser">Mail user for job notifications.</param>
/// <param name="ScratchDir">Scratch directory.</param>
/// <param name="HubOffline">Whether jobs keep the Hugging Face libraries off the Hub.</param>
/// <param name="CruijffKitVersion">The cruijff_kit generation a setup command feeds.</param>
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
    string? ScratchDir = null,
    bool? HubOffline = null,
    CruijffKitVersion? CruijffKitVersion = null)
{
    /// <summary>A source that sets nothing.</summary>
    public static PartialEnvironment Empty { get; } = new();

    /// <summary><paramref name="baseline"/> with every value this source sets replaced.</summary>
    /// <param name="baseline">The settings of the lower layers.</param>
    /// <returns>The merged settings.</returns>
    public EnvironmentSettings ApplyTo(EnvironmentSettings baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        return baseline with
        {
            OutputRoot = OutputRoot ?? baseline.OutputRoot,
            ModelsDir = ModelsDir ?? baseline.ModelsDir,
            WandbProject = WandbProject ?? baseline.WandbProject,
            // Conda and venv exclude each other: the layer that names one replaces the other below it.
            CondaEnv = CondaEnv ?? (Venv is not null ? null : baseline.CondaEnv),
            Venv = Venv ?? (CondaEnv is not null ? null : baseline.Venv),
            Modules = Modules ?? baseline.Modules,
            Account = Account ?? baseline.Account,
            Partition = Partition ?? baseline.Partition,
            Constraint = Constraint ?? baseline.Constraint,
            MailUser = MailUser ?? baseline.MailUser,
            ScratchDir = ScratchDir ?? baseline.ScratchDir,
            HubOffline = HubOffline ?? baseline.HubOffline,
            CruijffKitVersion = CruijffKitVersion ?? baseline.CruijffKitVersion,
        };
    }
}
