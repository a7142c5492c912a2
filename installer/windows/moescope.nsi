; MoEscope installer for Windows (NSIS 3, Unicode): MoEscope-Setup-<version>.exe
;
;   makensis /DPAYLOAD=..\..\dist\MoEscope installer\windows\moescope.nsi      (on Windows)
;   makensis -DPAYLOAD=../../dist/MoEscope installer/windows/moescope.nsi       (on Linux: apt install nsis)
;
; Defines (all optional but PAYLOAD):
;   PAYLOAD   the frozen folder built by PyInstaller (build.spec): MoEscope.exe and _internal\
;             (relative paths are relative to this script's folder)
;   VERSION   defaults to __version__ in app\__init__.py
;   OUTFILE   defaults to ..\..\dist\MoEscope-Setup-<VERSION>.exe
;
; Installs for the current user without administrator rights (%LOCALAPPDATA%\Programs\MoEscope),
; with Start-menu and (optional) desktop shortcuts, an entry in "Installed apps" and an uninstaller.
; The installer speaks German or English (chosen from the system language, with a choice dialog).
; Silent install: /S (and /D=C:\path as the last argument for another folder). Models and settings
; (%LOCALAPPDATA%\MoEscope) belong to the user and are kept when the program is removed.
; A payload that carries a kiosk configuration (build.spec's MOESCOPE_BUNDLE_KIOSK) adds a component,
; on by default: a shortcut in the user's Startup folder (shell:startup) that starts the kiosk at log-on.

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
SetCompressorDictSize 64

!ifndef PAYLOAD
  !error "Give the frozen folder: makensis -DPAYLOAD=path\to\dist\MoEscope moescope.nsi"
!endif
!ifndef VERSION
  !searchparse /file "${__FILEDIR__}\..\..\app\__init__.py" `__version__ = "` VERSION `"`
!endif
!ifndef OUTFILE
  !define OUTFILE "${__FILEDIR__}\..\..\dist\MoEscope-Setup-${VERSION}.exe"
!endif

!define APP_NAME "MoEscope"
!define APP_EXE "MoEscope.exe"
!define PUBLISHER "MoEscope"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\MoEscope"
!define SETTINGS_KEY "Software\MoEscope\Installer"
!define ICON "${__FILEDIR__}\..\..\resources\icons\moescope.ico"
!define KIOSK_LINK "$SMSTARTUP\${APP_NAME} kiosk.lnk"
!if /FileExists "${PAYLOAD}\_internal\resources\bundled-models\kiosk.toml"
  !define KIOSK_BUNDLE
!endif

Name "${APP_NAME} ${VERSION}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
InstallDirRegKey HKCU "${SETTINGS_KEY}" "InstallDir"
BrandingText "${APP_NAME} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1033 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APP_NAME} Setup"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "LegalCopyright" "MIT licence"

!include "MUI2.nsh"
!include "FileFunc.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_LANGDLL_REGISTRY_ROOT HKCU
!define MUI_LANGDLL_REGISTRY_KEY "${SETTINGS_KEY}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "Language"
!define MUI_LANGDLL_ALLLANGUAGES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_COMPONENTSPAGE_NODESC

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the default when the system's is neither.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "German"
!insertmacro MUI_RESERVEFILE_LANGDLL

LangString SecProgram ${LANG_ENGLISH} "MoEscope (required)"
LangString SecProgram ${LANG_GERMAN} "MoEscope (erforderlich)"
LangString SecStartMenu ${LANG_ENGLISH} "Start menu shortcut"
LangString SecStartMenu ${LANG_GERMAN} "Verknüpfung im Startmenü"
LangString SecDesktop ${LANG_ENGLISH} "Desktop shortcut"
LangString SecDesktop ${LANG_GERMAN} "Verknüpfung auf dem Desktop"
LangString ShortcutComment ${LANG_ENGLISH} "Chat with a local AI model and watch its experts at work"
LangString ShortcutComment ${LANG_GERMAN} "Mit einem lokalen KI-Modell chatten und seinen Experten zusehen"
LangString AppRunning ${LANG_ENGLISH} "MoEscope is running. Close it, then click Retry."
LangString AppRunning ${LANG_GERMAN} "MoEscope läuft noch. Bitte schließen Sie es und klicken Sie dann auf Wiederholen."
LangString DataKept ${LANG_ENGLISH} "Your models and settings in $LOCALAPPDATA\MoEscope are kept."
LangString DataKept ${LANG_GERMAN} "Ihre Modelle und Einstellungen in $LOCALAPPDATA\MoEscope bleiben erhalten."

Function .onInit
  SetShellVarContext current
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Function un.onInit
  SetShellVarContext current
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

; Files of an earlier version are removed first, so that no stale library is loaded.
!macro RemoveProgramFiles
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
!macroend

Section "!$(SecProgram)" SecProgram
  SectionIn RO
  SetOutPath "$INSTDIR"
  retry:
  ClearErrors
  Delete "$INSTDIR\${APP_EXE}"
  IfErrors 0 +3
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(AppRunning)" /SD IDCANCEL IDRETRY retry
    Abort
  !insertmacro RemoveProgramFiles
  File "/oname=${APP_EXE}" "${PAYLOAD}\${APP_EXE}"
  File /r "${PAYLOAD}\_internal"
  WriteUninstaller "$INSTDIR\Uninstall.exe"

  WriteRegStr HKCU "${SETTINGS_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "$(SecStartMenu)" SecStartMenu
  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0 \
    SW_SHOWNORMAL "" "$(ShortcutComment)"
SectionEnd

Section "$(SecDesktop)" SecDesktop
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0 \
    SW_SHOWNORMAL "" "$(ShortcutComment)"
SectionEnd

!ifdef KIOSK_BUNDLE
LangString SecKiosk ${LANG_ENGLISH} "Start the kiosk when this user logs on"
LangString SecKiosk ${LANG_GERMAN} "Kiosk bei der Anmeldung dieses Benutzers starten"

Section "$(SecKiosk)" SecKiosk
  CreateShortcut "${KIOSK_LINK}" "$INSTDIR\${APP_EXE}" "--kiosk" "$INSTDIR\${APP_EXE}" 0 \
    SW_SHOWNORMAL "" "$(ShortcutComment)"
SectionEnd
!endif

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$DESKTOP\${APP_NAME}.lnk"
  Delete "${KIOSK_LINK}"
  !insertmacro RemoveProgramFiles
  Delete "$INSTDIR\Uninstall.exe"
  ; Only if empty: never remove a folder the user chose and filled with other files.
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\MoEscope\Installer"
  DeleteRegKey /ifempty HKCU "Software\MoEscope"
  DetailPrint "$(DataKept)"
SectionEnd
