using System.Globalization;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Logging;
using ExperimentDsl.Runtime.Slurm;

namespace ExperimentDsl.Runtime.Preflight;

/// <summary>Runs the preflight of an experiment and logs it (PREFLIGHT) to the run logs, each problem to the log of the jobs it stops.</summary>
public static class PreflightLog
{
    /// <summary>Checks <paramref name="layout"/>'s inputs and appends a PREFLIGHT entry to both run logs.</summary>
    public static PreflightReport CheckAndLog(ExperimentLayout layout, ISlurmCommands slurm, IClock? clock = null)
    {
        PreflightReport report = new PreflightChecks(layout, slurm).Run();
        var logs = new RunLogs(layout.ExperimentDir, clock ?? SystemClock.Instance);
        Write(logs.Torchtune, report, report.Problems.Where(p => !p.ForEvaluation).ToList(), "fine-tune");
        Write(logs.Inspect, report, report.Problems.Where(p => p.ForEvaluation).ToList(), "evaluation");
        return report;
    }

    private static void Write(ActionLog log, PreflightReport report, IReadOnlyList<PreflightProblem> problems, string jobs)
    {
        string count = report.Checked.ToString(CultureInfo.InvariantCulture);
        log.Write(
            "PREFLIGHT",
            $"Checked {count} inputs of the {jobs} jobs (models, datasets, task scripts, output root, sbatch)",
            report.Passed
                ? "All inputs present"
                : $"{report.Problems.Count.ToString(CultureInfo.InvariantCulture)} problems in all, {problems.Count.ToString(CultureInfo.InvariantCulture)} for {jobs} jobs; nothing submitted",
            problems.Select(p => "Problem: " + p));
    }
}
