namespace ExperimentDsl.Runtime.Settings;

/// <summary>A settings file or option is invalid; the message names the source, the key and the fix.</summary>
public sealed class SettingsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SettingsException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
