namespace ExperimentDsl.Runtime.Inspect;

/// <summary>Kinds of Python tokens the task inspector needs to tell apart.</summary>
internal enum PythonTokenKind
{
    /// <summary>An identifier or keyword.</summary>
    Name,

    /// <summary>A string literal; <see cref="PythonToken.Text"/> is its decoded value.</summary>
    String,

    /// <summary>A numeric literal.</summary>
    Number,

    /// <summary>An operator or delimiter.</summary>
    Operator,

    /// <summary>The end of a logical line (never inside brackets).</summary>
    Newline,
}

/// <summary>One token of Python source.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Text">The source text, or the decoded value of a string.</param>
/// <param name="Line">The 1-based line it starts on.</param>
internal readonly record struct PythonToken(PythonTokenKind Kind, string Text, int Line)
{
    public bool Is(PythonTokenKind kind, string text) => Kind == kind && Text == text;

    public bool IsOperator(string text) => Is(PythonTokenKind.Operator, text);
}
