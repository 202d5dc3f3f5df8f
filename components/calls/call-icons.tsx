import { type IconProps, StrokeIcon } from "@/components/ui/stroke-icon";

const HANDSET = "M22 16.92v3a2 2 0 0 1-2.18 2 19.8 19.8 0 0 1-8.63-3.07 19.5 19.5 0 0 1-6-6A19.8 19.8 0 0 1 2.12 4.18 2 2 0 0 1 4.11 2h3a2 2 0 0 1 2 1.72c.13.96.36 1.9.7 2.81a2 2 0 0 1-.45 2.11L8.09 9.91a16 16 0 0 0 6 6l1.27-1.27a2 2 0 0 1 2.11-.45c.91.34 1.85.57 2.81.7A2 2 0 0 1 22 16.92z";

export const PhoneIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d={HANDSET} />
  </StrokeIcon>
);

export const PhoneOffIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d={HANDSET} transform="rotate(135 12 12)" />
  </StrokeIcon>
);

export const VideoIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="m16 13 5.2 3.5a.5.5 0 0 0 .8-.4V7.9a.5.5 0 0 0-.8-.4L16 11" />
    <rect x="2" y="6" width="14" height="12" rx="2" />
  </StrokeIcon>
);

export const VideoOffIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M10.7 6H14a2 2 0 0 1 2 2v3.3l1 1L22 8v8" />
    <path d="M16 16a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h2" />
    <line x1="2" y1="2" x2="22" y2="22" />
  </StrokeIcon>
);

export const MicIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <rect x="9" y="2" width="6" height="12" rx="3" />
    <path d="M19 10v2a7 7 0 0 1-14 0v-2" />
    <line x1="12" y1="19" x2="12" y2="22" />
  </StrokeIcon>
);

export const MicOffIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <line x1="2" y1="2" x2="22" y2="22" />
    <path d="M18.9 13.5A7 7 0 0 0 19 12v-2M5 10v2a7 7 0 0 0 12 5" />
    <path d="M15 9.3V5a3 3 0 0 0-5.7-1.3M9 9v3a3 3 0 0 0 5.1 2.1" />
    <line x1="12" y1="19" x2="12" y2="22" />
  </StrokeIcon>
);

export const HistoryIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M3 12a9 9 0 1 0 9-9 9.75 9.75 0 0 0-6.74 2.74L3 8" />
    <path d="M3 3v5h5" />
    <path d="M12 7v5l4 2" />
  </StrokeIcon>
);
