// These tests drive bash, SLURM and Unix file modes: they run on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
