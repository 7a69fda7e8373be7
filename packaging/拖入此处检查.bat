@echo off
chcp 65001 >nul
rem nianbao: drop workbooks on this file to check them and mark the cells in question, see 使用说明.txt.
rem cmd reads a .bat line by line in the current code page: the two lines above are
rem ASCII, every line with Chinese comes after the switch to UTF-8, code page 65001.
setlocal
set "NIANBAO=%~dp0nianbao.exe"
if not exist "%NIANBAO%" goto no_exe
if "%~1"=="" goto no_files
set "OUT=%~dp1核查结果"
"%NIANBAO%" check --annotate "%OUT%" %*
set "RC=%ERRORLEVEL%"
echo.
if "%RC%"=="0" echo 完成：没有发现错误（如有警告，请逐条核对）。标注过的统计表在 "%OUT%"
if "%RC%"=="1" echo 统计表有错误（见上方）。标注过的统计表在 "%OUT%"：错误单元格标红，警告标黄，批注写明原因。
if "%RC%"=="2" echo 有文件无法读取或无法写入（原因见上方）。
goto end
:no_exe
echo 找不到 nianbao.exe：请让本文件和 nianbao.exe 留在同一个文件夹里。
echo 想在桌面使用，请右键本文件，选“发送到”→“桌面快捷方式”。
set "RC=2"
goto end
:no_files
echo 用法：把一个或多个统计表文件（xlsx、xls、ods）拖到本文件的图标上松开。
set "RC=2"
:end
echo.
pause
exit /b %RC%
