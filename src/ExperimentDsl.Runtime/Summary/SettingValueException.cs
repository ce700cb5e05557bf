namespace ExperimentDsl.Runtime.Summary;

/// <summary>A setting's text could not be read; the reader adds where it was.</summary>
internal sealed class SettingValueException(string reason) : Exception(reason)
{
}
