using System.Text;
using Rounds.Screening.CommandLine;

// The first argument names the command; the rest are its own, exactly as `./rounds` received them.
return args.Length == 0
    ? Usage()
    : args[0] switch
    {
        "screen" => Screen(args[1..]),
        "eval" => ScreeningCli.Eval(args[1..], Console.In, Console.Out, Console.Error),
        "screen-train" => ScreeningCli.Train(args[1..], Console.Out, Console.Error),
        _ => Usage(),
    };

static int Usage()
{
    Console.Error.WriteLine("usage: rounds-screen screen|eval|screen-train [options]; add --help after the command for its options.");
    return 2;
}

// The console's writer flushes every line, which cost a system call or three per post on the one thread that
// writes while the others wait; results are written through a buffer instead, in the console's encoding.
static int Screen(string[] args)
{
    if (Console.OutputEncoding.CodePage != Encoding.UTF8.CodePage)
    {
        return ScreeningCli.Screen(args, Console.In, Console.Out, Console.Error);
    }

    // An exception that escapes ends the process without running finally blocks, which would throw away the
    // buffered results of the posts already screened: they are written out before the error is reported.
    var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);
    try
    {
        return ScreeningCli.Screen(args, Console.In, stdout, Console.Error);
    }
    catch (Exception error)
    {
        stdout.Flush();
        Console.Error.WriteLine($"screening stopped: {error.Message}");
        return 1;
    }
    finally
    {
        stdout.Dispose();
    }
}
