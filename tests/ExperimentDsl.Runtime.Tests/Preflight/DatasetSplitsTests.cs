using System.Buffers.Binary;
using System.Text;
using ExperimentDsl.Runtime.Preflight;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Preflight;

public sealed class DatasetSplitsTests
{
    [Fact]
    public void A_json_dataset_is_counted_per_split_key_and_an_absent_split_is_zero()
    {
        using var dir = new TempDirectory();
        string file = dir.Combine("words.json");
        File.WriteAllText(file, """{"train": [{"input": "a", "output": "A"}, {"input": "[b]", "output": "B"}, {}], "meta": [1, 2], "validation": [[1, 2]]}""");

        (DatasetSplitCounts? counts, string? problem) = DatasetSplits.Count(file, perSplitFiles: false);

        Assert.Null(problem);
        Assert.Equal(new DatasetSplitCounts(3, 1, 0, 1), counts);
    }

    [Fact]
    public void Cruijff_kits_fixture_data_counts_as_its_reference_plan_says()
    {
        (DatasetSplitCounts? counts, _) = DatasetSplits.Count(Path.Combine(CruijffKit.Pinned, "tests", "fixtures", "data", "words_5L_80P_10.json"), perSplitFiles: false);

        // The reference plan's data.training: size_kb 1, splits 8 / 1 / 1.
        Assert.Equal(new DatasetSplitCounts(8, 1, 1, 1), counts);
    }

    [Theory]
    [InlineData("missing", "does not exist")]
    [InlineData("[1, 2]", "is not a JSON object with the splits as keys")]
    [InlineData("{\"train\": [1, 2", "is not valid JSON")]
    public void An_unreadable_json_dataset_says_why_naming_the_file(string content, string reason)
    {
        using var dir = new TempDirectory();
        string file = dir.Combine("data.json");
        if (content != "missing")
        {
            File.WriteAllText(file, content);
        }

        (DatasetSplitCounts? counts, string? problem) = DatasetSplits.Count(file, perSplitFiles: false);

        Assert.Null(counts);
        Assert.StartsWith(file + " " + reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chat_dataset_counts_the_arrays_of_its_split_files()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("chat"));
        File.WriteAllText(dir.Combine("chat", "train.json"), "[{\"messages\": []}, {\"messages\": []}]");
        File.WriteAllText(dir.Combine("chat", "test.json"), "[{\"messages\": []}]");

        (DatasetSplitCounts? counts, string? problem) = DatasetSplits.Count(dir.Combine("chat.json"), perSplitFiles: true);

        Assert.Null(problem);
        Assert.Equal(new DatasetSplitCounts(2, 0, 1, 1), counts);
    }

    [Fact]
    public void A_parquet_dataset_counts_the_rows_its_split_files_footers_give()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("income"));
        File.WriteAllBytes(dir.Combine("income", "train.parquet"), Parquet(1234, "input"));
        File.WriteAllBytes(dir.Combine("income", "validation.parquet"), Parquet(56, "input"));
        File.WriteAllBytes(dir.Combine("income", "test.parquet"), Parquet(0, "input"));

        (DatasetSplitCounts? counts, string? problem) = DatasetSplits.Count(dir.Combine("income.parquet"), perSplitFiles: true);

        Assert.Null(problem);
        Assert.Equal((1234, 56, 0), (counts!.Train, counts.Validation, counts.Test));
    }

    [Theory]
    [InlineData("not parquet at all", "does not end with a parquet footer")]
    [InlineData("truncated", "parquet footer cannot be read")]
    public void A_damaged_parquet_file_says_why(string damage, string reason)
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("income"));
        byte[] bytes = damage == "truncated" ? Truncated(Parquet(10, "input")) : Encoding.ASCII.GetBytes("hello, this is a csv file\n");
        File.WriteAllBytes(dir.Combine("income", "train.parquet"), bytes);

        (DatasetSplitCounts? counts, string? problem) = DatasetSplits.Count(dir.Combine("income.parquet"), perSplitFiles: true);

        Assert.Null(counts);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
        Assert.Contains(dir.Combine("income", "train.parquet"), problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_split_directory_says_so()
    {
        using var dir = new TempDirectory();

        (DatasetSplitCounts? counts, string? problem) = DatasetSplits.Count(dir.Combine("income.parquet"), perSplitFiles: true);

        Assert.Null(counts);
        Assert.Equal(dir.Combine("income") + " (the directory of the dataset's split files) does not exist", problem);
    }

    // A parquet file's shape as the format specifies it: "PAR1", data, the FileMetaData struct in
    // Thrift's compact protocol (version, a one-column schema list, num_rows), its length, "PAR1".
    private static byte[] Parquet(long rows, string column)
    {
        var footer = new List<byte> { 0x15, 0x02, 0x19, 0x1C, 0x48, (byte)column.Length };
        footer.AddRange(Encoding.UTF8.GetBytes(column));
        footer.Add(0x00);
        footer.Add(0x16);
        ulong zigzag = (ulong)((rows << 1) ^ (rows >> 63));
        do
        {
            byte b = (byte)(zigzag & 0x7F);
            zigzag >>= 7;
            footer.Add(zigzag != 0 ? (byte)(b | 0x80) : b);
        }
        while (zigzag != 0);
        footer.Add(0x00);
        var file = new List<byte>(Encoding.ASCII.GetBytes("PAR1"));
        file.AddRange(footer);
        byte[] length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, footer.Count);
        file.AddRange(length);
        file.AddRange(Encoding.ASCII.GetBytes("PAR1"));
        return [.. file];
    }

    // The footer's length claims the whole footer, but its last bytes (num_rows and the stop) are gone.
    private static byte[] Truncated(byte[] file)
    {
        int length = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(file.Length - 8));
        byte[] footer = file[(file.Length - 8 - length)..(file.Length - 8)];
        byte[] cut = footer[..^3];
        var result = new List<byte>(Encoding.ASCII.GetBytes("PAR1"));
        result.AddRange(cut);
        byte[] size = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(size, cut.Length);
        result.AddRange(size);
        result.AddRange(Encoding.ASCII.GetBytes("PAR1"));
        return [.. result];
    }
}
