# Sourced by the bench scripts: builds Release and sets out (raw results) and bin (the executables).
out=$(pwd)/bench/results
mkdir -p "$out"
dotnet build -c Release -v quiet -nologo >/dev/null
bin=$(pwd)/Coordinator/bin/Release/net10.0
echo "machine: $(nproc) cores, $(uname -r)"
