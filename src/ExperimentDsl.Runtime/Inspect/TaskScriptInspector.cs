namespace ExperimentDsl.Runtime.Inspect;

/// <summary>
/// Reads an inspect-ai task script without running Python and reports its <c>@task</c> functions
/// (SPEC 7.2, VERIFY_TASK_SCRIPTS); <see cref="TaskFunctionReader"/> says which forms it recognizes.
/// </summary>
public static class TaskScriptInspector
{
    /// <summary>Reads the script at <paramref name="scriptPath"/>; a missing file gives a report with <c>Exists = false</c>.</summary>
    public static TaskScriptReport Inspect(string scriptPath)
    {
        if (!File.Exists(scriptPath))
        {
            return new TaskScriptReport(scriptPath, false, []);
        }

        return Parse(File.ReadAllText(scriptPath), scriptPath);
    }

    /// <summary>Finds the task functions of <paramref name="pythonSource"/>.</summary>
    public static TaskScriptReport Parse(string pythonSource, string scriptPath) =>
        new(scriptPath, true, [.. TaskFunctionReader.Read(pythonSource).Select(t => new TaskSignature(t.Name, t.Parameters, t.IsAsync) { RequiredParameters = t.Required })]);
}
